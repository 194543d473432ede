// Every endpoint the UI calls, typed from the OpenAPI document: the only place that knows the
// API's paths. Envelopes such as `{application}` or `{users}` are unwrapped here, so callers get
// the object or list they asked for.
import { api } from './client';
import type {
  Application,
  ApplicationsQuery,
  AppBody,
  AuditFilters,
  AuditPage,
  AuthConfig,
  ChangePasswordBody,
  CodesResponse,
  CreateUserBody,
  DisableTotpBody,
  HotpNext,
  LoginAnswer,
  LoginBody,
  OrderBody,
  PatchMeBody,
  PatchSettingsBody,
  PatchUserBody,
  Passkey,
  PasskeyOptions,
  PasskeySignInBody,
  Reauthenticated,
  RecoveryCodes,
  RegisterBody,
  RegisterPasskeyBody,
  RenamePasskeyBody,
  ResetPasswordBody,
  Schema,
  SecondFactorBody,
  SecondFactorChallenge,
  SecondFactorStatus,
  SecretView,
  Session,
  SessionTokens,
  Settings,
  TotpEnrolment,
  User,
  UserAction,
} from './types';

/** An id as one path segment. */
const seg = (id: string) => encodeURIComponent(id);

/** A path with its query string: parameters without a value are left out, and so is the `?`. */
function withQuery(path: string, params: Record<string, string | number | boolean | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') p.set(k, String(v));
  const q = p.toString();
  return q ? `${path}?${q}` : path;
}

/** The audit query string for one page: empty filters are left out; `before` continues the keyset. */
export function auditQuery(f: AuditFilters, before?: number, limit = 50): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) p.set(k, v);
  if (before) p.set('before', String(before));
  p.set('limit', String(limit));
  return p.toString();
}

/** Whether a login answer is a second-factor challenge rather than a session. */
export function isChallenge(a: LoginAnswer): a is SecondFactorChallenge {
  return 'second_factor_required' in a && a.second_factor_required === true;
}

/** Signing in and out, before and outside a session. */
export const auth = {
  /** What the sign-in screen offers (first run, sign-up, password rules). */
  config: () => api<AuthConfig>('/auth/config', { noRefresh: true }),
  /** The password step: a session, or (the account has a second factor) a challenge; see isChallenge. */
  login: (body: LoginBody) => api<LoginAnswer>('/auth/login', { body, noRefresh: true }),
  /** Completes a challenged sign-in with a code from the app, a recovery code or a passkey's assertion. */
  secondFactor: (body: SecondFactorBody) => api<SessionTokens>('/auth/login/second-factor', { body, noRefresh: true }),
  /** Begins a passwordless sign-in: a ceremony for any passkey of this site (single-use, 5 minutes). */
  passkeyOptions: () => api<PasskeyOptions>('/auth/passkey/options', { method: 'POST', noRefresh: true }),
  /** Signs in with a passkey alone: the same answer (and cookies) as a password sign-in. */
  passkeySignIn: (body: PasskeySignInBody) => api<SessionTokens>('/auth/passkey', { body, noRefresh: true }),
  /** Step-up: the password again, so that sensitive actions work for a few minutes. */
  reauth: (password: string) => api<Reauthenticated>('/auth/reauth', { body: { password }, noStepUp: true }),
  /** Begins a step-up with one of the caller's passkeys. */
  reauthOptions: () => api<PasskeyOptions>('/auth/reauth/options', { method: 'POST', noStepUp: true }),
  /** Step-up with a passkey: the assertion answering `reauthOptions`. */
  reauthWithPasskey: (ceremony: string, credential: Record<string, unknown>) => api<Reauthenticated>('/auth/reauth', { body: { ceremony, credential }, noStepUp: true }),
  register: (body: RegisterBody) => api<Schema<'UserEnvelope'>>('/auth/register', { body, noRefresh: true }).then((r) => r.user),
  logout: () => api<void>('/auth/logout', { method: 'POST' }),
};

/** The signed-in user's own account. */
export const me = {
  get: () => api<Schema<'UserEnvelope'>>('/me').then((r): User => r.user),
  update: (body: PatchMeBody) => api<Schema<'UserEnvelope'>>('/me', { method: 'PATCH', body }).then((r): User => r.user),
  changePassword: (body: ChangePasswordBody) => api<void>('/me/password', { body }),
  sessions: () => api<Schema<'SessionList'>>('/me/sessions').then((r): Session[] => r.sessions),
  revokeSession: (id: string) => api<void>(`/me/sessions/${seg(id)}`, { method: 'DELETE' }),
  revokeOtherSessions: () => api<void>('/me/sessions/revoke-others', { method: 'POST' }),
  /** One page of the caller's own activity, newest first; `before` continues from a `next_before`. */
  activity: (before?: number, limit = 50) => api<AuditPage>(withQuery('/me/activity', { limit, before })),
  /** What protects the account, and what the two-factor policy asks of it. */
  secondFactors: () => api<SecondFactorStatus>('/me/second-factors'),
  /** Starts (or restarts) enrolling an authenticator app: a pending secret. */
  startTotp: () => api<TotpEnrolment>('/me/totp', { method: 'POST' }),
  /** Confirms the pending app with the code it shows; answers the recovery codes, shown once. */
  confirmTotp: (code: string) => api<RecoveryCodes>('/me/totp/confirm', { body: { code } }).then((r) => r.recovery_codes),
  /** Removes the authenticator app (needs a step-up, and a code or a recovery code). */
  disableTotp: (body: DisableTotpBody) => api<void>('/me/totp', { method: 'DELETE', body }),
  /** A new set of recovery codes; the old set stops working (needs a step-up). */
  regenerateRecoveryCodes: () => api<RecoveryCodes>('/me/recovery-codes', { method: 'POST' }).then((r) => r.recovery_codes),
  /** The caller's passkeys, oldest first. */
  passkeys: () => api<Schema<'PasskeyList'>>('/me/passkeys').then((r): Passkey[] => r.passkeys),
  /** Begins registering a passkey (needs a step-up): the options for `navigator.credentials.create()`. */
  passkeyOptions: () => api<PasskeyOptions>('/me/passkeys/options', { method: 'POST' }),
  /** Finishes registering a passkey (needs a step-up). */
  registerPasskey: (body: RegisterPasskeyBody) => api<Passkey>('/me/passkeys', { body }),
  renamePasskey: (id: string, name: string) => api<Passkey>(`/me/passkeys/${seg(id)}`, { method: 'PATCH', body: { name } satisfies RenamePasskeyBody }),
  /** Removes a passkey (needs a step-up); removing the last factor also discards the recovery codes. */
  removePasskey: (id: string) => api<void>(`/me/passkeys/${seg(id)}`, { method: 'DELETE' }),
};

/** The caller's 2FA accounts (`/applications`). */
export const vault = {
  list: (query: ApplicationsQuery = {}) => api<Schema<'ApplicationList'>>(withQuery('/applications', query)).then((r): Application[] => r.applications),
  get: (id: string) => api<Schema<'ApplicationEnvelope'>>(`/applications/${seg(id)}`).then((r): Application => r.application),
  create: (body: AppBody) => api<Schema<'ApplicationEnvelope'>>('/applications', { body }).then((r): Application => r.application),
  /** Lets the server decode a QR image (PNG or JPEG, at most 2 MiB) and add what it holds. */
  createFromQr: (image: Blob, allowShortSecret = false) => {
    const form = new FormData();
    form.append('image', image, 'qr');
    if (allowShortSecret) form.append('allow_short_secret', 'true');
    return api<Schema<'ApplicationEnvelope'>>('/applications/qr', { form }).then((r): Application => r.application);
  },
  update: (id: string, body: AppBody) => api<Schema<'ApplicationEnvelope'>>(`/applications/${seg(id)}`, { method: 'PATCH', body }).then((r): Application => r.application),
  /** The new order of the whole vault, by id. */
  reorder: (ids: string[]) => api<void>('/applications/order', { method: 'PUT', body: { ids } satisfies OrderBody }),
  /** Moves an application to the trash. */
  trash: (id: string) => api<void>(`/applications/${seg(id)}`, { method: 'DELETE' }),
  restore: (id: string) => api<Schema<'ApplicationEnvelope'>>(`/applications/${seg(id)}/restore`, { method: 'POST' }).then((r): Application => r.application),
  /** Deletes a trashed application for good. */
  purge: (id: string) => api<void>(`/applications/${seg(id)}?purge=true`, { method: 'DELETE' }),
  /** Steps an HOTP counter and returns the new code. */
  hotpNext: (id: string) => api<HotpNext>(`/applications/${seg(id)}/hotp/next`, { method: 'POST' }),
  /** Current and next codes of every application not in the trash, with the server's time. */
  codes: (signal?: AbortSignal) => api<CodesResponse>('/applications/codes', { signal }),
  /** The secret, its otpauth:// URI and QR code, to move the account elsewhere (needs a step-up; audited). */
  secret: (id: string) => api<SecretView>(`/applications/${seg(id)}/secret`),
};

/** The admin console (`/admin`). */
export const admin = {
  /** Users matching a search text (every user for ''). */
  users: (q = '') => api<Schema<'UserList'>>(`/admin/users?q=${encodeURIComponent(q)}`).then((r): User[] => r.users),
  createUser: (body: CreateUserBody) => api<Schema<'UserEnvelope'>>('/admin/users', { body }).then((r): User => r.user),
  updateUser: (id: string, body: PatchUserBody) => api<Schema<'UserEnvelope'>>(`/admin/users/${seg(id)}`, { method: 'PATCH', body }).then((r): User => r.user),
  deleteUser: (id: string) => api<void>(`/admin/users/${seg(id)}`, { method: 'DELETE' }),
  /** Disable, enable, unlock or end every session of a user. */
  userAction: (id: string, action: UserAction) => api<void>(`/admin/users/${seg(id)}/${action}`, { method: 'POST' }),
  resetPassword: (id: string, body: ResetPasswordBody) => api<void>(`/admin/users/${seg(id)}/reset-password`, { body }),
  /** Removes every second factor of a user and ends their sessions. */
  resetSecondFactors: (id: string) => api<void>(`/admin/users/${seg(id)}/reset-second-factors`, { method: 'POST' }),
  settings: () => api<Schema<'SettingsEnvelope'>>('/admin/settings').then((r): Settings => r.settings),
  updateSettings: (body: PatchSettingsBody) => api<Schema<'SettingsEnvelope'>>('/admin/settings', { method: 'PATCH', body }).then((r): Settings => r.settings),
};

/** The audit log (admins and auditors). */
export const audit = {
  /** One page, newest first; `before` continues from the previous page's `next_before`. */
  page: (filters: AuditFilters, before?: number) => api<AuditPage>(`/audit?${auditQuery(filters, before)}`),
};
