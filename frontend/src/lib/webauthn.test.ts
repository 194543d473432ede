import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import {
  checkPasskeyName,
  credentialJSON,
  creationOptions,
  decodeCreationOptions,
  decodeRequestOptions,
  defaultPasskeyName,
  encodeCredential,
  fromBase64Url,
  getAssertion,
  passkeyProblem,
  platformName,
  requestOptions,
  rpIdOf,
  steppedUpFor,
  toBase64Url,
  type CredentialLike,
} from './webauthn';

const bytes = (...b: number[]) => new Uint8Array(b).buffer;
const text = (s: string) => new TextEncoder().encode(s);
const list = (buf: ArrayBuffer | BufferSource) => [...new Uint8Array(buf as ArrayBuffer)];

describe('base64url', () => {
  it('encodes the RFC 4648 test vectors without padding', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(toBase64Url(text(plain))).toBe(encoded);
      expect(new TextDecoder().decode(fromBase64Url(encoded))).toBe(plain);
    }
  });

  it('uses the URL alphabet (- and _ for + and /)', () => {
    expect(toBase64Url(bytes(0xfb, 0xff))).toBe('-_8');
    expect(list(fromBase64Url('-_8'))).toEqual([0xfb, 0xff]);
  });

  it('round-trips every byte value', () => {
    const all = new Uint8Array(256).map((_, i) => i);
    expect(list(fromBase64Url(toBase64Url(all)))).toEqual([...all]);
  });

  it('encodes only the bytes a view covers', () => {
    const buf = new Uint8Array([1, 2, 3, 4, 5, 6]);
    expect(toBase64Url(buf.subarray(2, 4))).toBe(toBase64Url(bytes(3, 4)));
  });

  it('accepts padding and the standard alphabet, as some servers send them', () => {
    expect(list(fromBase64Url('Zm8='))).toEqual(list(text('fo')));
    expect(list(fromBase64Url('+/8='))).toEqual([0xfb, 0xff]);
  });

  it('refuses what is not base64url rather than decoding garbage', () => {
    expect(() => fromBase64Url('Zm9v!')).toThrow(TypeError);
    expect(() => fromBase64Url('Zm9vY')).toThrow(TypeError); // 4n+1 characters cannot be
    expect(() => fromBase64Url('Zm 9v')).toThrow(TypeError);
  });
});

// What webauthn-rs sends (shapes taken from a running AuthNode).
const requestJSON = () => ({
  challenge: 'sRo0_DwAc834G0MDuX4QfQeekHlsWQSp7U5hGI1tJBE',
  timeout: 300000,
  rpId: 'localhost',
  allowCredentials: [{ type: 'public-key', id: 'AQID', transports: ['internal'] }],
  userVerification: 'required',
  extensions: { uvm: true },
  hints: null,
});
const creationJSON = () => ({
  attestation: 'none',
  authenticatorSelection: { requireResidentKey: false, residentKey: 'preferred', userVerification: 'required' },
  challenge: 'KvRTmX5WzFaZrcGw2fc_8KYcg6UTsJ8U-nKluoXjFp0',
  excludeCredentials: [{ type: 'public-key', id: 'BAUG' }],
  extensions: { credProps: true, uvm: true },
  pubKeyCredParams: [{ alg: -7, type: 'public-key' }],
  rp: { id: 'localhost', name: 'AuthNode' },
  timeout: 300000,
  user: { displayName: 'admin', id: 'AaI3asBLdDWkNvyqyt3FLQ', name: 'admin' },
});

describe('options from the server, decoded by hand', () => {
  it('turns the request challenge and allowed credential ids into bytes and keeps the rest', () => {
    const o = decodeRequestOptions(requestJSON());
    expect(list(o.challenge)).toEqual(list(fromBase64Url(requestJSON().challenge)));
    expect(list(o.allowCredentials![0].id)).toEqual([1, 2, 3]);
    expect(o.allowCredentials![0].type).toBe('public-key');
    expect(o.allowCredentials![0].transports).toEqual(['internal']);
    expect(o.rpId).toBe('localhost');
    expect(o.userVerification).toBe('required');
    expect(o.timeout).toBe(300000);
    expect(o.extensions).toEqual({ uvm: true });
    expect('hints' in o).toBe(false); // null members are left out, as the browser wants them
  });

  it('turns the creation challenge, user id and excluded ids into bytes and keeps the rest', () => {
    const o = decodeCreationOptions(creationJSON());
    expect(list(o.challenge)).toHaveLength(32);
    expect(list(o.user.id)).toEqual(list(fromBase64Url('AaI3asBLdDWkNvyqyt3FLQ')));
    expect(o.user.name).toBe('admin');
    expect(o.user.displayName).toBe('admin');
    expect(list(o.excludeCredentials![0].id)).toEqual([4, 5, 6]);
    expect(o.rp).toEqual({ id: 'localhost', name: 'AuthNode' });
    expect(o.authenticatorSelection?.residentKey).toBe('preferred');
    expect(o.pubKeyCredParams).toEqual([{ alg: -7, type: 'public-key' }]);
  });

  it('says what is missing or broken', () => {
    const { challenge: _, ...noChallenge } = requestJSON();
    expect(() => decodeRequestOptions(noChallenge)).toThrow(/challenge is missing/);
    expect(() => decodeCreationOptions({ ...creationJSON(), user: { name: 'x', displayName: 'x' } })).toThrow(/user.id is missing/);
    expect(() => decodeRequestOptions({ ...requestJSON(), allowCredentials: [{ type: 'public-key', id: 'not base64!' }] })).toThrow(TypeError);
    expect(() => decodeRequestOptions({ ...requestJSON(), allowCredentials: 'AQID' })).toThrow(/not a list/);
  });

  it("uses the browser's parser where it has one, else the hand-made one", () => {
    const parsed = { challenge: bytes(9) } as PublicKeyCredentialRequestOptions;
    const parseRequestOptionsFromJSON = vi.fn(() => parsed);
    expect(requestOptions({ publicKey: requestJSON() }, { parseRequestOptionsFromJSON })).toBe(parsed);
    expect(parseRequestOptionsFromJSON).toHaveBeenCalledWith(requestJSON());
    // A browser without it (Chrome < 129, Safari < 18.4) gets the same options by hand.
    expect(list(requestOptions({ publicKey: requestJSON() }, {}).allowCredentials![0].id)).toEqual([1, 2, 3]);
    const parseCreationOptionsFromJSON = vi.fn(() => ({}) as PublicKeyCredentialCreationOptions);
    creationOptions({ publicKey: creationJSON() }, { parseCreationOptionsFromJSON });
    expect(parseCreationOptionsFromJSON).toHaveBeenCalledOnce();
    expect(list(creationOptions({ publicKey: creationJSON() }, undefined).user.id)).toHaveLength(16);
  });

  it('refuses an answer without publicKey', () => {
    expect(() => requestOptions({ mediation: 'conditional' }, {})).toThrow(/without publicKey/);
    expect(() => requestOptions(null, {})).toThrow(/without publicKey/);
  });

  it('finds the relying party the options name', () => {
    expect(rpIdOf({ publicKey: requestJSON() })).toBe('localhost');
    expect(rpIdOf({ publicKey: creationJSON() })).toBe('localhost');
    expect(rpIdOf({})).toBeUndefined();
  });
});

describe('credentials to JSON, by hand', () => {
  const assertion = (overrides: Partial<Record<string, unknown>> = {}): CredentialLike => ({
    id: 'AQID',
    rawId: bytes(1, 2, 3),
    type: 'public-key',
    authenticatorAttachment: 'platform',
    response: {
      clientDataJSON: text('{"type":"webauthn.get"}').buffer,
      authenticatorData: bytes(0xaa, 0xbb),
      signature: bytes(0x30, 0x45, 0xff),
      userHandle: bytes(7, 7),
      ...overrides,
    } as unknown as AuthenticatorResponse,
    getClientExtensionResults: () => ({ uvm: [[1, 2, 3]], prf: { results: { first: bytes(0xfb, 0xff) } } }) as unknown as AuthenticationExtensionsClientOutputs,
  });

  it('encodes an assertion as WebAuthn L3 toJSON() does', () => {
    expect(encodeCredential(assertion())).toEqual({
      id: 'AQID',
      rawId: 'AQID',
      type: 'public-key',
      response: { clientDataJSON: toBase64Url(text('{"type":"webauthn.get"}')), authenticatorData: 'qrs', signature: 'MEX_', userHandle: 'Bwc' },
      clientExtensionResults: { uvm: [[1, 2, 3]], prf: { results: { first: '-_8' } } },
      authenticatorAttachment: 'platform',
    });
  });

  it('sends a null user handle when the authenticator gives none', () => {
    expect(encodeCredential(assertion({ userHandle: null })).response).toMatchObject({ userHandle: null });
    const c = assertion();
    delete c.getClientExtensionResults;
    c.authenticatorAttachment = undefined;
    expect(encodeCredential(c)).toMatchObject({ clientExtensionResults: {}, authenticatorAttachment: null });
  });

  it('encodes a new credential with what the browser offers', () => {
    const response = {
      clientDataJSON: text('{"type":"webauthn.create"}').buffer,
      attestationObject: bytes(0xa3, 0x63),
      getTransports: () => ['internal', 'hybrid'],
      getAuthenticatorData: () => bytes(1),
      getPublicKey: () => bytes(2),
      getPublicKeyAlgorithm: () => -7,
    };
    const json = encodeCredential({ id: 'BAUG', rawId: bytes(4, 5, 6), type: 'public-key', authenticatorAttachment: null, response: response as unknown as AuthenticatorResponse });
    expect(json.response).toEqual({
      clientDataJSON: toBase64Url(text('{"type":"webauthn.create"}')),
      attestationObject: 'o2M',
      transports: ['internal', 'hybrid'],
      authenticatorData: 'AQ',
      publicKey: 'Ag',
      publicKeyAlgorithm: -7,
    });
    expect(json.rawId).toBe('BAUG');
  });

  it('leaves out what an older browser cannot give, and survives a getter that throws', () => {
    const response = {
      clientDataJSON: bytes(1),
      attestationObject: bytes(2),
      getPublicKey: () => {
        throw new Error('unsupported algorithm');
      },
    };
    const json = encodeCredential({ id: 'AQ', rawId: bytes(1), type: 'public-key', response: response as unknown as AuthenticatorResponse });
    expect(json.response).toEqual({ clientDataJSON: 'AQ', attestationObject: 'Ag', transports: [] });
  });

  it('refuses a response that is neither kind', () => {
    expect(() => encodeCredential({ id: 'AQ', rawId: bytes(1), type: 'public-key', response: { clientDataJSON: bytes(1) } as AuthenticatorResponse })).toThrow(/neither/);
  });

  it("uses the browser's toJSON() where it has one", () => {
    const own = { id: 'from-browser' };
    const c = { ...assertion(), toJSON: () => own };
    expect(credentialJSON(c)).toBe(own);
    expect(credentialJSON(assertion()).id).toBe('AQID');
  });
});

describe('the ceremony in a browser without the JSON helpers', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('decodes the options, passes mediation and signal, and encodes the answer', async () => {
    const get = vi.fn(async () => ({
      id: 'AQID',
      rawId: bytes(1, 2, 3),
      type: 'public-key',
      response: { clientDataJSON: bytes(1), authenticatorData: bytes(2), signature: bytes(3), userHandle: null },
    }));
    vi.stubGlobal('PublicKeyCredential', class {});
    Object.defineProperty(navigator, 'credentials', { value: { get }, configurable: true });
    const signal = new AbortController().signal;
    const json = await getAssertion({ publicKey: requestJSON() }, { mediation: 'conditional', signal });
    const arg = (get.mock.calls[0] as unknown as [CredentialRequestOptions])[0];
    expect(arg.mediation).toBe('conditional');
    expect(arg.signal).toBe(signal);
    expect(list(arg.publicKey!.allowCredentials![0].id)).toEqual([1, 2, 3]);
    expect(json).toMatchObject({ id: 'AQID', rawId: 'AQID', response: { clientDataJSON: 'AQ', authenticatorData: 'Ag', signature: 'Aw', userHandle: null } });
  });

  it('treats no answer as not allowed', async () => {
    vi.stubGlobal('PublicKeyCredential', class {});
    Object.defineProperty(navigator, 'credentials', { value: { get: async () => null }, configurable: true });
    await expect(getAssertion({ publicKey: requestJSON() })).rejects.toMatchObject({ name: 'NotAllowedError' });
  });
});

describe('what a failed attempt means', () => {
  const dom = (name: string) => new DOMException('browser text', name);

  it('a cancel (or no passkey on the device) is calm', () => {
    expect(passkeyProblem(dom('NotAllowedError'))).toMatchObject({ kind: 'cancelled', message: expect.stringMatching(/^No passkey was used/) });
    expect(passkeyProblem(dom('NotAllowedError'), { creating: true })).toMatchObject({ kind: 'cancelled', message: expect.stringMatching(/^No passkey was created/) });
  });

  it('an abort by the page says nothing', () => {
    expect(passkeyProblem(dom('AbortError'))).toEqual({ kind: 'aborted', message: '' });
  });

  it('InvalidStateError when creating: the authenticator already holds one of the account’s passkeys', () => {
    expect(passkeyProblem(dom('InvalidStateError'), { creating: true })).toMatchObject({ kind: 'exists', message: expect.stringContaining('already holds one of your passkeys') });
    expect(passkeyProblem(dom('InvalidStateError')).kind).toBe('other');
  });

  it('SecurityError: names the address passkeys work at', () => {
    expect(passkeyProblem(dom('SecurityError'), { rpId: 'localhost', pageHost: '127.0.0.1' }).message).toBe(
      'Passkeys for this server work at localhost, but this page is open at 127.0.0.1. Open AuthNode at its public address (AUTHNODE_PUBLIC_URL) to use passkeys.',
    );
    expect(passkeyProblem(dom('SecurityError'), { rpId: 'localhost', pageHost: 'localhost' })).toMatchObject({ kind: 'address', message: expect.stringContaining('over https or on localhost') });
  });

  it('the server’s refusals, in words', () => {
    expect(passkeyProblem(new ApiError(409, 'passkeys_unavailable', 'x')).message).toMatch(/AUTHNODE_PUBLIC_URL to a host name, such as http:\/\/localhost:8080/);
    expect(passkeyProblem(new ApiError(401, 'ceremony_invalid', 'x')).message).toMatch(/already used or ran out/);
    expect(passkeyProblem(new ApiError(401, 'passkey_invalid', 'x')).message).toMatch(/could not be verified/);
    expect(passkeyProblem(new ApiError(409, 'too_many_passkeys', 'x')).message).toMatch(/remove one/);
    expect(passkeyProblem(new ApiError(429, 'rate_limited', 'x', undefined, 12)).message).toBe('Too many attempts. Try again in 12 s.');
    expect(passkeyProblem(new ApiError(418, 'brand_new', 'The server’s own words')).message).toBe('The server’s own words');
  });

  it('other failures keep the browser’s words', () => {
    expect(passkeyProblem(dom('NotSupportedError')).kind).toBe('unsupported');
    expect(passkeyProblem(new TypeError('publicKey.challenge is missing')).message).toMatch(/could not be read: publicKey.challenge is missing/);
    expect(passkeyProblem(new Error('odd'))).toEqual({ kind: 'other', message: 'odd' });
  });
});

describe('passkey names', () => {
  it('trims, and takes 1 to 64 characters counted as the server does (code points)', () => {
    expect(checkPasskeyName('  Laptop  ')).toEqual({ name: 'Laptop' });
    expect(checkPasskeyName('   ')).toEqual({ error: expect.stringContaining('Give the passkey a name') });
    expect(checkPasskeyName('🔑'.repeat(64))).toEqual({ name: '🔑'.repeat(64) }); // 128 UTF-16 units, 64 characters
    expect(checkPasskeyName('a'.repeat(65))).toEqual({ error: 'Use at most 64 characters (this name has 65).' });
    expect(checkPasskeyName('two\nlines')).toEqual({ error: expect.stringContaining('line breaks') });
  });

  it('offers a default from the platform', () => {
    const ua = {
      android: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/129.0 Mobile Safari/537.36',
      iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1',
      mac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/18.0 Safari/605.1.15',
      windows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/129.0 Safari/537.36',
      linux: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0 Safari/537.36',
    };
    expect(platformName(ua.android)).toBe('Android');
    expect(platformName(ua.iphone)).toBe('iPhone');
    expect(platformName(ua.mac)).toBe('macOS');
    expect(platformName(ua.windows)).toBe('Windows');
    expect(platformName(ua.linux)).toBe('Linux');
    expect(platformName(ua.linux, 'Chrome OS')).toBe('ChromeOS'); // userAgentData wins
    expect(defaultPasskeyName(ua.windows)).toBe('Passkey on Windows');
    expect(defaultPasskeyName('curl/8.0')).toBe('Passkey');
  });
});

describe('a live step-up', () => {
  const NOW = Date.parse('2026-03-10T12:00:00Z');
  it('lasts long enough for an action started now', () => {
    expect(steppedUpFor(null, NOW)).toBe(false);
    expect(steppedUpFor(undefined, NOW)).toBe(false);
    expect(steppedUpFor('2026-03-10T12:04:00Z', NOW)).toBe(true);
    expect(steppedUpFor('2026-03-10T12:00:30Z', NOW)).toBe(false); // 30 s left: not enough to touch the authenticator
    expect(steppedUpFor('2026-03-10T12:00:30Z', NOW, 10_000)).toBe(true);
    expect(steppedUpFor('2026-03-10T11:59:00Z', NOW)).toBe(false);
    expect(steppedUpFor('soon', NOW)).toBe(false);
  });
});
