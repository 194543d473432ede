// The shapes of the API's JSON, every one taken from src/api-types.ts, which is generated from the
// server's OpenAPI document (frontend/openapi.json, `npm run gen:api`). Nothing is declared by hand.
import type { components, paths } from '../api-types';

/** A schema of the OpenAPI document, by name. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

/** The query parameters a GET endpoint accepts (all optional). */
type QueryOf<Path extends keyof paths> = paths[Path] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;

/** The JSON error body every AuthNode endpoint returns on failure. */
export type ErrorBody = Schema<'ErrorBody'>;

// ---- Users and sessions ----

/** A user as the API shows it. */
export type User = Schema<'UserView'>;
/** What a user may do. */
export type Role = Schema<'Role'>;
/** User preferences (stored server-side, applied by the UI). `theme` and `code_format` are plain
 * strings in the document: lib/format's toCodeFormat reads the latter. */
export type Preferences = Schema<'Preferences'>;
/** One live session of the caller. */
export type Session = Schema<'SessionView'>;
/** What the sign-in screen needs to know before anyone signs in. */
export type AuthConfig = Schema<'AuthConfig'>;
/** The admin actions on a user that take no body. */
export type UserAction = Schema<'UserAction'>;

/** A started session: its tokens (also set as cookies) and the user. */
export type SessionTokens = Schema<'SessionTokens'>;
/** `POST /auth/login`: a session, or a challenge to complete with a second factor. */
export type LoginAnswer = Schema<'LoginAnswer'>;
/** The password was right; the sign-in waits for a second factor. */
export type SecondFactorChallenge = Schema<'SecondFactorChallenge'>;
/** A way to complete a sign-in or prove oneself: `totp`, `recovery` or `webauthn` (passkey). */
export type SecondFactorMethod = Schema<'SecondFactorMethod'>;

// ---- Second factors ----

/** What protects the caller's account, and what the two-factor policy asks of it. */
export type SecondFactorStatus = Schema<'SecondFactorStatus'>;
/** An account's second factors as counts (admin user list). */
export type SecondFactorSummary = Schema<'SecondFactorSummary'>;
/** A registered passkey. */
export type Passkey = Schema<'PasskeyView'>;
/** A WebAuthn ceremony begun: its id, and the options for the browser (`{publicKey: …}`). */
export type PasskeyOptions = Schema<'PasskeyOptions'>;
/** A pending authenticator-app secret, as a link, a QR code and text. */
export type TotpEnrolment = Schema<'TotpEnrolment'>;
/** A new set of recovery codes, shown once. */
export type RecoveryCodes = Schema<'RecoveryCodesView'>;
/** A step-up's lifetime. */
export type Reauthenticated = Schema<'Reauthenticated'>;
/** An application's secret, URI and QR code (after a step-up). */
export type SecretView = Schema<'SecretView'>;

// ---- Vault ----

/** OTP kinds. */
export type OtpType = Schema<'OtpType'>;
/** HMAC algorithms. */
export type Algorithm = Schema<'Algorithm'>;
/** One 2FA account (never with its secret). */
export type Application = Schema<'ApplicationView'>;
/** Current and next code of one application. */
export type Code = Schema<'CodeView'>;
/** `GET /applications/codes`. */
export type CodesResponse = Schema<'CodesResponse'>;
/** The code after stepping an HOTP counter. */
export type HotpNext = Schema<'HotpNext'>;
/** `GET /applications` filters. */
export type ApplicationsQuery = QueryOf<'/api/v1/applications'>;

// ---- Audit ----

/** One audit-log entry (payload redacted by the server). */
export type AuditEntry = Schema<'AuditEntry'>;
/** A page of audit entries; `next_before` continues it. */
export type AuditPage = Schema<'AuditPage'>;
/** The audit filters the API understands (the page parameters `before` and `limit` aside). */
export type AuditFilters = Omit<QueryOf<'/api/v1/audit'>, 'before' | 'limit'>;

// ---- Settings ----

/** Server settings (admin). */
export type Settings = Schema<'SettingsView'>;

// ---- Request bodies ----

export type LoginBody = Schema<'LoginBody'>;
export type SecondFactorBody = Schema<'SecondFactorBody'>;
export type ReauthBody = Schema<'ReauthBody'>;
/** `POST /auth/passkey`: a passwordless sign-in's assertion. */
export type PasskeySignInBody = Schema<'PasskeySignInBody'>;
/** `POST /me/passkeys`: a new passkey's credential and name. */
export type RegisterPasskeyBody = Schema<'RegisterPasskeyBody'>;
export type RenamePasskeyBody = Schema<'RenamePasskeyBody'>;
/** `DELETE /me/totp`: a current code or a recovery code. */
export type DisableTotpBody = Schema<'DisableTotpBody'>;
export type TotpCodeBody = Schema<'TotpCode'>;
export type RegisterBody = Schema<'RegisterBody'>;
export type PatchMeBody = Schema<'PatchMe'>;
export type ChangePasswordBody = Schema<'ChangePassword'>;
/** Create or update an application: on update, absent fields are kept. */
export type AppBody = Schema<'AppBody'>;
export type OrderBody = Schema<'OrderBody'>;
export type CreateUserBody = Schema<'CreateUser'>;
export type PatchUserBody = Schema<'PatchUser'>;
export type ResetPasswordBody = Schema<'ResetPassword'>;
/** Any subset of the policies, each given whole. */
export type PatchSettingsBody = Schema<'PatchSettings'>;
