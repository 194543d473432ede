// Pure helpers for the second factors of the AuthNode account itself (sign-in second step,
// Security section, two-factor policy banner): kept free of React so Vitest covers them.
import type { SecondFactorMethod, SecondFactorStatus } from '../api';

/**
 * The second-step methods this UI can complete, in the order it offers them. Passkeys
 * (`webauthn`) are not offered yet: adding them means one more entry here and one more step
 * in pages/signin/SecondFactorStep.
 */
export const UI_METHODS = ['totp', 'recovery'] as const satisfies readonly SecondFactorMethod[];
export type UiMethod = (typeof UI_METHODS)[number];

/** The methods of a challenge that this UI can complete, best first. */
export function usableMethods(offered: readonly SecondFactorMethod[]): UiMethod[] {
  return UI_METHODS.filter((m) => offered.includes(m));
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

export function policyDemand(status: Pick<SecondFactorStatus, 'required' | 'enrol_by'> | undefined, nowMs: number = Date.now()): PolicyDemand {
  if (!status?.required || !status.enrol_by) return { kind: 'none' };
  const days = daysLeft(status.enrol_by, nowMs);
  return days > 0 ? { kind: 'grace', days, by: status.enrol_by } : { kind: 'due' };
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
    'Each code signs you in once if you cannot use your authenticator app.',
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
