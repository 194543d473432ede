import { describe, expect, it } from 'vitest';
import { cleanTotpCode, dayCount, daysLeft, groupSecret, hasSecondFactor, policyDemand, recoveryCodesFilename, recoveryCodesText, usableMethods } from './factors';
import { describeFactors } from '../pages/admin/Users';

const NOW = Date.parse('2026-03-10T12:00:00Z');

describe('second-step methods', () => {
  it('offers a passkey first, then the app, then a recovery code', () => {
    expect(usableMethods(['recovery', 'totp'])).toEqual(['totp', 'recovery']);
    expect(usableMethods(['recovery', 'totp', 'webauthn'])).toEqual(['webauthn', 'totp', 'recovery']);
    expect(usableMethods(['webauthn', 'recovery'])).toEqual(['webauthn', 'recovery']);
  });
  it('leaves the passkey out where the browser cannot use one, or the server sent no options', () => {
    expect(usableMethods(['webauthn', 'recovery'], { webauthn: false })).toEqual(['recovery']);
    expect(usableMethods(['webauthn', 'totp'], { options: false })).toEqual(['totp']);
    expect(usableMethods(['webauthn'], { webauthn: false })).toEqual([]);
  });
});

describe('codes as typed', () => {
  it('keeps six digits, whatever the spacing', () => {
    expect(cleanTotpCode('123456')).toBe('123456');
    expect(cleanTotpCode(' 123 456 ')).toBe('123456');
    expect(cleanTotpCode('123-456')).toBe('123456');
  });
  it('refuses anything else before it reaches the server', () => {
    expect(cleanTotpCode('12345')).toBeNull();
    expect(cleanTotpCode('1234567')).toBeNull();
    expect(cleanTotpCode('12345a')).toBeNull();
    expect(cleanTotpCode('')).toBeNull();
  });
  it('groups a secret in fours for reading', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('ABCDEF')).toBe('ABCD EF');
    expect(groupSecret('')).toBe('');
  });
});

describe('the two-factor policy', () => {
  it('counts whole days left, rounding up, never below zero', () => {
    expect(daysLeft('2026-03-17T12:00:00Z', NOW)).toBe(7);
    expect(daysLeft('2026-03-10T12:00:01Z', NOW)).toBe(1);
    expect(daysLeft('2026-03-11T11:00:00Z', NOW)).toBe(1);
    expect(daysLeft('2026-03-10T12:00:00Z', NOW)).toBe(0);
    expect(daysLeft('2026-03-01T00:00:00Z', NOW)).toBe(0);
    expect(daysLeft('not a date', NOW)).toBe(0);
  });
  it('tells a grace period from a deadline that has passed', () => {
    expect(policyDemand(undefined, NOW)).toEqual({ kind: 'none' });
    expect(policyDemand({ required: false, enrol_by: null, enrolment_due: false }, NOW)).toEqual({ kind: 'none' });
    // Covered but protected: the server sends no deadline.
    expect(policyDemand({ required: true, enrol_by: null, enrolment_due: false }, NOW)).toEqual({ kind: 'none' });
    expect(policyDemand({ required: true, enrol_by: '2026-03-13T00:00:00Z', enrolment_due: false }, NOW)).toEqual({ kind: 'grace', days: 3, by: '2026-03-13T00:00:00Z' });
    expect(policyDemand({ required: true, enrol_by: '2026-03-10T11:59:00Z', enrolment_due: true }, NOW)).toEqual({ kind: 'due' });
  });
  it('takes the server’s word on whether the deadline has passed, not the browser clock’s', () => {
    // The browser clock runs ahead: the server still allows a day.
    expect(policyDemand({ required: true, enrol_by: '2026-03-10T11:59:00Z', enrolment_due: false }, NOW)).toEqual({ kind: 'grace', days: 1, by: '2026-03-10T11:59:00Z' });
    // The browser clock runs behind: the server says it is due.
    expect(policyDemand({ required: true, enrol_by: '2026-03-20T00:00:00Z', enrolment_due: true }, NOW)).toEqual({ kind: 'due' });
    // Not covered by the policy: never due.
    expect(policyDemand({ required: false, enrol_by: null, enrolment_due: true }, NOW)).toEqual({ kind: 'none' });
  });
  it('says days in words', () => {
    expect(dayCount(1)).toBe('1 day');
    expect(dayCount(5)).toBe('5 days');
  });
  it('counts the app and passkeys as factors, not recovery codes alone', () => {
    expect(hasSecondFactor({ totp_enabled: true, passkeys: [] })).toBe(true);
    expect(hasSecondFactor({ totp_enabled: false, passkeys: [{ id: 'k', name: 'Key', registered_at: '', last_used_at: null }] })).toBe(true);
    expect(hasSecondFactor({ totp_enabled: false, passkeys: [] })).toBe(false);
  });
});

describe('recovery codes file', () => {
  const codes = Array.from({ length: 10 }, (_, i) => `code-${String(i).padStart(4, '0')}`);
  it('lists every code, numbered and aligned, with whose they are', () => {
    const text = recoveryCodesText({ codes, account: 'alice (alice@example.com)', server: 'https://auth.example.com', created: new Date('2026-03-10T12:34:56Z') });
    const lines = text.split('\n');
    expect(lines[0]).toBe('AuthNode recovery codes');
    expect(text).toContain('Account: alice (alice@example.com)');
    expect(text).toContain('Server:  https://auth.example.com');
    expect(text).toContain('Created: 2026-03-10 12:34 UTC');
    expect(lines).toContain(' 1. code-0000');
    expect(lines).toContain('10. code-0009');
    expect(text.endsWith('\n')).toBe(true);
  });
  it('names the file safely', () => {
    expect(recoveryCodesFilename('alice.b')).toBe('authnode-recovery-codes-alice.b.txt');
    expect(recoveryCodesFilename('a/b\\c')).toBe('authnode-recovery-codes-a_b_c.txt');
    expect(recoveryCodesFilename('')).toBe('authnode-recovery-codes-account.txt');
  });
});

describe('admin view of a user\'s factors', () => {
  it('says what protects the account', () => {
    expect(describeFactors({ totp: true, recovery_codes_left: 8, passkeys: 0 })).toBe('authenticator app, 8 recovery codes left');
    expect(describeFactors({ totp: true, recovery_codes_left: 1, passkeys: 2 })).toBe('authenticator app, 2 passkeys, 1 recovery code left');
    expect(describeFactors({ totp: false, recovery_codes_left: 0, passkeys: 0 })).toBeNull();
  });
});
