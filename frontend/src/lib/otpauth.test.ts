import { describe, expect, it } from 'vitest';
import { looksLikeOtpAuth, OtpAuthError, parseOtpAuth } from './otpauth';

describe('parseOtpAuth', () => {
  it('reads a full TOTP URI', () => {
    const i = parseOtpAuth('otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60');
    expect(i).toEqual({ otp_type: 'totp', issuer: 'ACME Co', label: 'john.doe@email.com', algorithm: 'SHA256', digits: 8, period: 60, counter: 0 });
  });
  it('takes the issuer from the label when the parameter is missing', () => {
    expect(parseOtpAuth('otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP').issuer).toBe('Example');
  });
  it('applies the defaults of the Key Uri Format', () => {
    const i = parseOtpAuth('otpauth://totp/alice?secret=jbswy3dpehpk3pxp');
    expect(i).toMatchObject({ algorithm: 'SHA1', digits: 6, period: 30, issuer: '', label: 'alice' });
  });
  it('reads HOTP with its counter', () => {
    expect(parseOtpAuth('otpauth://hotp/X:y?secret=JBSWY3DPEHPK3PXP&counter=7')).toMatchObject({ otp_type: 'hotp', counter: 7 });
  });
  it('recognises Steam', () => {
    expect(parseOtpAuth('otpauth://totp/Steam:me?secret=JBSWY3DPEHPK3PXP&issuer=Steam')).toMatchObject({ otp_type: 'steam', digits: 5 });
  });
  it.each([
    ['not a url', 'not a valid'],
    ['https://example.com/?secret=JBSWY3DP', 'must start with otpauth'],
    ['otpauth://sms/x?secret=JBSWY3DP', 'totp or hotp'],
    ['otpauth://totp/x', 'no secret'],
    ['otpauth://totp/x?secret=not-base32!', 'base32'],
    ['otpauth://totp/x?secret=JBSWY3DP&algorithm=MD5', 'algorithm'],
    ['otpauth://totp/x?secret=JBSWY3DP&digits=4', 'Digits'],
    ['otpauth://totp/x?secret=JBSWY3DP&period=0', 'period'],
    ['otpauth://hotp/x?secret=JBSWY3DP', 'counter'],
    ['otpauth-migration://offline?data=abc', 'not supported'],
  ])('refuses %s', (uri, why) => {
    expect(() => parseOtpAuth(uri)).toThrow(OtpAuthError);
    expect(() => parseOtpAuth(uri)).toThrow(new RegExp(why));
  });
  it('spots URIs in pasted text', () => {
    expect(looksLikeOtpAuth('  otpauth://totp/x?secret=A')).toBe(true);
    expect(looksLikeOtpAuth('https://x')).toBe(false);
  });
});
