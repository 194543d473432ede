// Client-side reading of `otpauth://` URIs (Google Authenticator Key Uri Format) to preview what
// will be added and catch mistakes early; the server parses and validates again and is the judge.

/** What a Key URI describes (the secret stays in the URI and is only sent to the server). */
export interface OtpAuthInfo {
  otp_type: 'totp' | 'hotp' | 'steam';
  issuer: string;
  label: string;
  algorithm: 'SHA1' | 'SHA256' | 'SHA512';
  digits: number;
  period: number;
  counter: number;
}

/** Why a URI was refused. */
export class OtpAuthError extends Error {}

const BASE32 = /^[A-Z2-7]+=*$/;

/** Parses and checks an `otpauth://totp|hotp/...` URI. Throws OtpAuthError with a readable reason. */
export function parseOtpAuth(input: string): OtpAuthInfo {
  const text = input.trim();
  if (text.startsWith('otpauth-migration://')) {
    throw new OtpAuthError('Google Authenticator export links (otpauth-migration://) are not supported here; export each account as a QR code.');
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OtpAuthError('This is not a valid otpauth:// link.');
  }
  if (url.protocol !== 'otpauth:') throw new OtpAuthError('The link must start with otpauth://');
  // URL puts the type in `host` for non-special schemes.
  const kind = url.host.toLowerCase();
  if (kind !== 'totp' && kind !== 'hotp') throw new OtpAuthError('The type must be totp or hotp.');
  const p = url.searchParams;
  const secret = (p.get('secret') ?? '').replace(/[\s-]/g, '').toUpperCase();
  if (!secret) throw new OtpAuthError('The link has no secret.');
  if (!BASE32.test(secret)) throw new OtpAuthError('The secret is not valid base32 (letters A–Z and digits 2–7).');
  const path = decodeURIComponent(url.pathname.replace(/^\/+/, ''));
  const colon = path.indexOf(':');
  const labelIssuer = colon >= 0 ? path.slice(0, colon).trim() : '';
  const label = colon >= 0 ? path.slice(colon + 1).trim() : path.trim();
  const issuer = (p.get('issuer') ?? labelIssuer).trim();
  const alg = (p.get('algorithm') ?? 'SHA1').toUpperCase();
  if (alg !== 'SHA1' && alg !== 'SHA256' && alg !== 'SHA512') throw new OtpAuthError(`Unknown algorithm ${alg}.`);
  const steam = (p.get('encoder') ?? '').toLowerCase() === 'steam' || issuer.toLowerCase() === 'steam';
  const digits = steam ? 5 : Number(p.get('digits') ?? '6');
  if (!Number.isInteger(digits) || (!steam && (digits < 6 || digits > 8))) throw new OtpAuthError('Digits must be 6, 7 or 8.');
  const period = Number(p.get('period') ?? '30');
  if (!Number.isInteger(period) || period < 1 || period > 300) throw new OtpAuthError('The period must be 1–300 seconds.');
  const counter = Number(p.get('counter') ?? '0');
  if (kind === 'hotp' && !p.has('counter')) throw new OtpAuthError('An hotp link needs a counter.');
  if (!Number.isInteger(counter) || counter < 0) throw new OtpAuthError('The counter must be a whole number ≥ 0.');
  return { otp_type: steam ? 'steam' : kind, issuer, label, algorithm: alg, digits, period, counter };
}

/** Whether a pasted text looks like a Key URI worth parsing. */
export function looksLikeOtpAuth(text: string): boolean {
  return /^\s*otpauth(-migration)?:\/\//i.test(text);
}
