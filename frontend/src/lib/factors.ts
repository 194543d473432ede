// Pure helpers for the second factors of the AuthNode account itself (sign-in second step,
// Security section, two-factor policy banner): kept free of React so Vitest covers them.
import type { SecondFactorMethod, SecondFactorStatus } from '../api';

/**
 * The second-step methods this UI can complete, in the order it offers them: a passkey first
 * (the default when the account has one: nothing to type, and it cannot be phished), then the
 * app's code, then a recovery code.
 */
export const UI_METHODS = ['webauthn', 'totp', 'recovery'] as const satisfies readonly SecondFactorMethod[];
export type UiMethod = (typeof UI_METHODS)[number];
/** The methods that are typed into a field. */
export type CodeMethod = Exclude<UiMethod, 'webauthn'>;

/**
 * The methods of a challenge that this UI can complete, best first. A passkey needs a browser
 * with WebAuthn (`webauthn`: whether this one has it) and the options the server sent with it.
 */
export function usableMethods(offered: readonly SecondFactorMethod[], { webauthn = true, options = true }: { webauthn?: boolean; options?: boolean } = {}): UiMethod[] {
  return UI_METHODS.filter((m) => offered.includes(m) && (m !== 'webauthn' || (webauthn && options)));
}

/** An authenticator-app code as typed ("123 456", "123-456") → its six digits, or null. */
export function cleanTotpCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** A base32 secret in groups of four, for reading and typing by hand. */
export function groupSecret(secret: string): string {
  return secret.replace(/\s/g, '').match(/.{1,4}/g)?.join(' ') ?? '';
}

const DAY_MS = 86_400_000;

/** Whole days left until `deadline` (an RFC 3339 time), rounded up; 0 once it has passed. */
export function daysLeft(deadline: string, nowMs: number = Date.now()): number {
  const t = Date.parse(deadline);
  if (!Number.isFinite(t)) return 0;
  return Math.max(0, Math.ceil((t - nowMs) / DAY_MS));
}

/** What the two-factor policy asks of the account now. */
export type PolicyDemand =
  /** Nothing: not covered, or a factor is set up. */
  | { kind: 'none' }
  /** Covered and without a factor, within the grace period. */
  | { kind: 'grace'; days: number; by: string }
  /** Covered, without a factor, and the grace period is over: only the Security section works. */
  | { kind: 'due' };

/**
 * Whether the deadline has passed is the server's say (`enrolment_due`), not the browser
 * clock's; the clock only counts the days left (at least one while the server says not due).
 */
export function policyDemand(status: Pick<SecondFactorStatus, 'required' | 'enrol_by' | 'enrolment_due'> | undefined, nowMs: number = Date.now()): PolicyDemand {
  if (!status?.required) return { kind: 'none' };
  if (status.enrolment_due) return { kind: 'due' };
  if (!status.enrol_by) return { kind: 'none' };
  return { kind: 'grace', days: Math.max(1, daysLeft(status.enrol_by, nowMs)), by: status.enrol_by };
}

/** "3 days", "1 day". */
export const dayCount = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/** Whether the account has any second factor. */
export function hasSecondFactor(s: Pick<SecondFactorStatus, 'totp_enabled' | 'passkeys'>): boolean {
  return s.totp_enabled || s.passkeys.length > 0;
}

/** The recovery codes as a text file a person can keep (download) or read (print). */
export function recoveryCodesText({ codes, account, server, created }: { codes: readonly string[]; account: string; server: string; created: Date }): string {
  const width = String(codes.length).length;
  return [
    'AuthNode recovery codes',
    '',
    `Account: ${account}`,
    `Server:  ${server}`,
    `Created: ${created.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    'Each code signs you in once if you cannot use your authenticator app or passkey.',
    'Creating new codes makes all of these stop working. Keep this file somewhere safe.',
    '',
    ...codes.map((c, i) => `${String(i + 1).padStart(width, ' ')}. ${c}`),
    '',
  ].join('\n');
}

/** The download's file name: safe on every file system. */
export function recoveryCodesFilename(username: string): string {
  const safe = username.replace(/[^a-z0-9._-]/gi, '_') || 'account';
  return `authnode-recovery-codes-${safe}.txt`;
}
