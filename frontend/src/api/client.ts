// The one way the UI talks to AuthNode: same-origin fetch with the session cookies, the
// double-submit CSRF header on unsafe methods, one shared refresh when the access token has
// expired, one shared step-up (password or passkey) when a sensitive action asks for it, and every
// failure turned into an ApiError carrying the server's stable code.
import type { ErrorBody } from './types';

/** A failed API call: HTTP status plus the server's error code, message and field. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Raised for network failures (server down, connection dropped). */
export const NETWORK_ERROR = 'network_error';
/** A sensitive action needs a recent step-up (`POST /auth/reauth`). */
export const REAUTH_REQUIRED = 'reauthentication_required';
/** The two-factor policy holds the account to enrolment: only the Security section works. */
export const ENROLMENT_REQUIRED = 'second_factor_enrolment_required';

/**
 * 401 answers about what was sent (a wrong code, a passkey answer that does not verify, a spent
 * passkey request) rather than about the session: refreshing the session would not help, and
 * retrying would spend another attempt towards the lockout. Signed-in routes answer those with
 * 400 (field `credential`); the sign-in routes answer 401, and no session is at stake there.
 */
export const NOT_SESSION_401 = new Set(['second_factor_invalid', 'challenge_invalid', 'invalid_credentials', 'ceremony_invalid', 'passkey_invalid']);

/** Messages for people, keyed by the API's stable error codes; the server's text is the fallback. */
const FRIENDLY: Record<string, string> = {
  invalid_credentials: 'Wrong email/username or password.',
  password_breached: 'This password appears in lists of passwords leaked in data breaches, so attackers try it first. Choose another one.',
  account_locked: 'Too many failed sign-ins: this account is locked for a while. An admin can unlock it.',
  account_disabled: 'This account is disabled. Ask an administrator.',
  rate_limited: 'Too many attempts. Please wait a moment and try again.',
  signup_closed: 'Sign-up is closed on this server. Ask an administrator for an account.',
  csrf_failed: 'Your session could not be verified. Reload the page and try again.',
  unauthenticated: 'Please sign in.',
  session_expired: 'Your session has ended. Please sign in again.',
  forbidden: 'You are not allowed to do that.',
  wrong_password: 'The current password is wrong.',
  email_taken: 'That email address is already in use.',
  username_taken: 'That username is already taken.',
  last_admin: 'This is the last active administrator: promote someone else first.',
  conflict: 'Someone else changed this at the same time. Please try again.',
  body_too_large: 'That is too large (images: 2 MiB at most).',
  no_qr_code: 'No QR code was found in that image.',
  database_unavailable: 'The server is temporarily unavailable. Please try again shortly.',
  signup_invite_only: 'Sign-up needs an invitation on this server.',
  email_domain_not_allowed: 'Accounts with this email domain are not allowed here.',
  session_revoked: 'This session was ended. Please sign in again.',
  refresh_token_reused: 'This session was ended for safety. Please sign in again.',
  application_trashed: 'This account is in the trash: restore it first.',
  second_factor_invalid: 'That code is not valid: it is wrong, or it was used already (each code works once).',
  challenge_invalid: 'The sign-in took too long or was already used. Please enter your password again.',
  reauthentication_required: 'This needs your password again: nothing was changed.',
  [ENROLMENT_REQUIRED]: 'Your server requires two-factor sign-in: set up an authenticator app to continue.',
  invalid_code: 'That is not the code the app shows now. Check the time on your phone and try the current code.',
  totp_already_enabled: 'An authenticator app is already set up.',
  totp_not_enabled: 'No authenticator app is set up.',
  totp_not_pending: 'The setup expired: start again.',
  no_second_factor: 'Set up an authenticator app or a passkey first: recovery codes stand in for them.',
  passkeys_unavailable:
    'Passkeys are not available on this server: its public address is an IP address, and browsers only accept passkeys for a host name. The administrator can set AUTHNODE_PUBLIC_URL to a host name, such as http://localhost:8080, and open AuthNode there.',
  ceremony_invalid: 'The passkey request was already used or ran out (it lasts 5 minutes): please try again.',
  passkey_invalid: 'That passkey could not be verified: it may have been removed from your account, or it does not belong to this server.',
  passkey_exists: 'This passkey is already registered for your account.',
  too_many_passkeys: 'Your account has as many passkeys as it can have (20): remove one you no longer use first.',
  invalid_passkey_name: 'Give the passkey a name of 1 to 64 characters, without line breaks.',
  passkey_not_found: 'That passkey is no longer registered for your account.',
  no_passkey: 'Your account has no passkey any more: confirm with your password instead.',
  [NETWORK_ERROR]: 'Cannot reach the server. Check your connection.',
};

/** The message to show a person for an error (API code first, then the server's message). */
export function friendlyError(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'rate_limited' && e.retryAfter) {
      return `Too many attempts. Try again in ${e.retryAfter} s.`;
    }
    return FRIENDLY[e.code] ?? e.message;
  }
  if (e instanceof Error) return e.message;
  return 'Something went wrong.';
}

/** Reads one cookie visible to scripts (only the CSRF token is). */
export function readCookie(name: string, cookies: string = document.cookie): string | undefined {
  for (const part of cookies.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** Turns a non-2xx response into an ApiError, whatever its body. */
export async function toApiError(res: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> | undefined;
  try {
    body = (await res.json()) as Partial<ErrorBody>;
  } catch {
    body = undefined;
  }
  const retry = Number(res.headers.get('retry-after') ?? '');
  const err = body?.error;
  return new ApiError(
    res.status,
    err?.code ?? `http_${res.status}`,
    err?.message ?? (res.statusText || `HTTP ${res.status}`),
    err?.field,
    Number.isFinite(retry) && retry > 0 ? retry : undefined,
  );
}

type Listener = () => void;
const sessionEndedListeners = new Set<Listener>();

/** Called when the session is gone for good (refresh refused): the app returns to sign-in. */
export function onSessionEnded(l: Listener): () => void {
  sessionEndedListeners.add(l);
  return () => sessionEndedListeners.delete(l);
}

let refreshing: Promise<boolean> | null = null;

async function postRefresh(): Promise<boolean> {
  try {
    const res = await fetch('/api/v1/auth/refresh', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-CSRF-Token': readCookie('authnode_csrf') ?? '' },
    });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Rotates the refresh cookie once, shared by every request of this tab that saw a 401 meanwhile.
 * Tabs share the cookie, and presenting an already-rotated refresh token ends the session (reuse
 * detection), so refreshes are also serialised across tabs with a Web Lock: the second tab then
 * sends the cookie the first one just received.
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
      return locks ? await locks.request('authnode-refresh', postRefresh) : await postRefresh();
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** Options for one API call. */
export interface CallOptions {
  method?: string;
  body?: unknown;
  form?: FormData;
  /** Do not try a refresh on 401 (sign-in, register, refresh itself). */
  noRefresh?: boolean;
  /** Do not ask for a step-up on `reauthentication_required` (the step-up itself, a retry). */
  noStepUp?: boolean;
  signal?: AbortSignal;
}

/** Asks the person to prove who they are again (password or passkey) and steps up; true when done, false when they cancelled. */
export type StepUpHandler = () => Promise<boolean>;
let stepUpHandler: StepUpHandler | null = null;
let steppingUp: Promise<boolean> | null = null;

/**
 * Installs what answers `reauthentication_required` (the step-up dialog); returns its removal.
 * Without one, such answers are plain errors.
 */
export function setStepUpHandler(h: StepUpHandler): () => void {
  stepUpHandler = h;
  return () => {
    if (stepUpHandler === h) stepUpHandler = null;
  };
}

/**
 * One step-up at a time: calls that need it meanwhile wait for the same dialog. Also called
 * before an action that should not be interrupted halfway (adding a passkey: the password is
 * asked before the authenticator is touched, not between).
 */
export function requestStepUp(): Promise<boolean> {
  return stepUp();
}

function stepUp(): Promise<boolean> {
  const h = stepUpHandler;
  if (!h) return Promise.resolve(false);
  steppingUp ??= h()
    .catch(() => false)
    .finally(() => {
      steppingUp = null;
    });
  return steppingUp;
}

const enrolmentListeners = new Set<Listener>();

/** Called whenever the server answers `second_factor_enrolment_required`. */
export function onEnrolmentRequired(l: Listener): () => void {
  enrolmentListeners.add(l);
  return () => enrolmentListeners.delete(l);
}

/** The error code of a response, read without consuming its body. */
async function peekCode(res: Response): Promise<string | undefined> {
  try {
    return ((await res.clone().json()) as Partial<ErrorBody>)?.error?.code;
  } catch {
    return undefined;
  }
}

/** Calls `/api/v1{path}` and returns the parsed JSON (undefined for 204). */
export async function api<T>(path: string, opts: CallOptions = {}): Promise<T> {
  const method = opts.method ?? (opts.body !== undefined || opts.form ? 'POST' : 'GET');
  const send = async () => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = readCookie('authnode_csrf') ?? '';
    let body: BodyInit | undefined;
    if (opts.form) body = opts.form;
    else if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    try {
      return await fetch(`/api/v1${path}`, { method, headers, body, credentials: 'same-origin', signal: opts.signal });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw new ApiError(0, NETWORK_ERROR, 'network error');
    }
  };
  let res = await send();
  if (res.status === 401 && !opts.noRefresh && !NOT_SESSION_401.has((await peekCode(res)) ?? '')) {
    if (await refreshSession()) {
      res = await send();
    }
    if (res.status === 401 && !NOT_SESSION_401.has((await peekCode(res)) ?? '')) {
      sessionEndedListeners.forEach((l) => l());
    }
  }
  if (!res.ok) {
    const err = await toApiError(res);
    // Step up, then try once more (that second try asks no step-up of its own).
    if (err.code === REAUTH_REQUIRED && !opts.noStepUp && (await stepUp())) return api<T>(path, { ...opts, noStepUp: true });
    if (err.code === ENROLMENT_REQUIRED) enrolmentListeners.forEach((l) => l());
    throw err;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}
