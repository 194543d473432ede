// Passkeys (WebAuthn) in the browser, kept free of React so Vitest covers them: the JSON the
// server sends and takes (binary fields as unpadded base64url, WebAuthn L3 §5.1.8/§5.5), the
// browser's own converters where it has them (parseRequestOptionsFromJSON, toJSON) and hand-made
// ones where it does not, what a failed ceremony means for a person, and passkey names.
import { ApiError, friendlyError } from '../api/client';

// ---- base64url ----

const B64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/**
 * Whether `v` is binary data: an ArrayBuffer or a view of one. Checked without `instanceof`,
 * which fails for buffers made in another realm (an iframe, or Node's encoder under jsdom).
 */
export function isBinary(v: unknown): v is ArrayBuffer | ArrayBufferView {
  return ArrayBuffer.isView(v) || Object.prototype.toString.call(v) === '[object ArrayBuffer]';
}

/** Bytes → unpadded base64url (RFC 4648 §5), as WebAuthn's JSON forms carry binary fields. */
export function toBase64Url(data: ArrayBuffer | ArrayBufferView): string {
  const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * base64url (padded or not; the standard alphabet's `+` and `/` are accepted too) → bytes.
 * Throws a TypeError on anything else, so a broken option is not silently turned into garbage.
 */
export function fromBase64Url(text: string): ArrayBuffer {
  const s = text.replace(/\+/g, '-').replace(/\//g, '_');
  if (!B64URL.test(s) || s.replace(/=+$/, '').length % 4 === 1) throw new TypeError(`not base64url: ${JSON.stringify(text.slice(0, 16))}`);
  const plain = s.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(plain + '='.repeat((4 - (plain.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.buffer;
}

// ---- Options (server JSON → what navigator.credentials takes) ----

/** A JSON object as the API gives it (`options.publicKey`, `webauthn.publicKey`). */
export type JsonObject = Record<string, unknown>;

/** The `PublicKeyCredential` statics this module uses, all optional (older browsers lack them). */
export interface PublicKeyCredentialStatics {
  parseRequestOptionsFromJSON?: (json: JsonObject) => PublicKeyCredentialRequestOptions;
  parseCreationOptionsFromJSON?: (json: JsonObject) => PublicKeyCredentialCreationOptions;
  isConditionalMediationAvailable?: () => Promise<boolean>;
}

/** The browser's `PublicKeyCredential`, or undefined where WebAuthn is missing (old browser, http: on a non-local host). */
export function browserWebAuthn(): PublicKeyCredentialStatics | undefined {
  if (typeof window === 'undefined' || typeof window.PublicKeyCredential === 'undefined' || !navigator.credentials) return undefined;
  return window.PublicKeyCredential as unknown as PublicKeyCredentialStatics;
}

/** Whether this browser can use passkeys at all. */
export const webAuthnSupported = () => browserWebAuthn() !== undefined;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function need(obj: JsonObject, key: string, where: string): unknown {
  if (!(key in obj) || obj[key] === undefined || obj[key] === null) throw new TypeError(`${where}.${key} is missing`);
  return obj[key];
}

function bytes(value: unknown, where: string): ArrayBuffer {
  if (typeof value !== 'string') throw new TypeError(`${where} is not a base64url string`);
  return fromBase64Url(value);
}

function descriptors(list: unknown, where: string): PublicKeyCredentialDescriptor[] | undefined {
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list)) throw new TypeError(`${where} is not a list`);
  return list.map((d, i) => {
    if (!isObject(d)) throw new TypeError(`${where}[${i}] is not an object`);
    return { ...d, type: (d.type as PublicKeyCredentialType) ?? 'public-key', id: bytes(d.id, `${where}[${i}].id`) } as PublicKeyCredentialDescriptor;
  });
}

/** Drops JSON nulls: the browser's dictionaries take absent members, not null ones. */
function withoutNulls<T extends JsonObject>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;
}

/** `PublicKeyCredentialRequestOptionsJSON` → options for `navigator.credentials.get()`, by hand. */
export function decodeRequestOptions(json: JsonObject): PublicKeyCredentialRequestOptions {
  const out = withoutNulls({ ...json }) as JsonObject;
  out.challenge = bytes(need(json, 'challenge', 'publicKey'), 'publicKey.challenge');
  const allow = descriptors(json.allowCredentials, 'publicKey.allowCredentials');
  if (allow) out.allowCredentials = allow;
  return out as unknown as PublicKeyCredentialRequestOptions;
}

/** `PublicKeyCredentialCreationOptionsJSON` → options for `navigator.credentials.create()`, by hand. */
export function decodeCreationOptions(json: JsonObject): PublicKeyCredentialCreationOptions {
  const out = withoutNulls({ ...json }) as JsonObject;
  out.challenge = bytes(need(json, 'challenge', 'publicKey'), 'publicKey.challenge');
  const user = need(json, 'user', 'publicKey');
  if (!isObject(user)) throw new TypeError('publicKey.user is not an object');
  out.user = { ...withoutNulls(user), id: bytes(need(user, 'id', 'publicKey.user'), 'publicKey.user.id') };
  const exclude = descriptors(json.excludeCredentials, 'publicKey.excludeCredentials');
  if (exclude) out.excludeCredentials = exclude;
  return out as unknown as PublicKeyCredentialCreationOptions;
}

/** The `publicKey` member of an API answer's options (`{publicKey: …}`), checked. */
export function publicKeyOf(options: unknown): JsonObject {
  if (!isObject(options) || !isObject(options.publicKey)) throw new TypeError('the server sent passkey options without publicKey');
  return options.publicKey;
}

/** Request options for `get()`: the browser's parser when it has one, else decodeRequestOptions. */
export function requestOptions(options: unknown, statics: PublicKeyCredentialStatics | undefined = browserWebAuthn()): PublicKeyCredentialRequestOptions {
  const json = publicKeyOf(options);
  return statics?.parseRequestOptionsFromJSON ? statics.parseRequestOptionsFromJSON(json) : decodeRequestOptions(json);
}

/** Creation options for `create()`: the browser's parser when it has one, else decodeCreationOptions. */
export function creationOptions(options: unknown, statics: PublicKeyCredentialStatics | undefined = browserWebAuthn()): PublicKeyCredentialCreationOptions {
  const json = publicKeyOf(options);
  return statics?.parseCreationOptionsFromJSON ? statics.parseCreationOptionsFromJSON(json) : decodeCreationOptions(json);
}

// ---- Credentials (what the browser answers → server JSON) ----

/** The parts of a `PublicKeyCredential` this module reads; `toJSON` is missing in older browsers. */
export interface CredentialLike {
  id: string;
  rawId: ArrayBuffer;
  type: string;
  authenticatorAttachment?: string | null;
  response: AuthenticatorResponse;
  getClientExtensionResults?: () => AuthenticationExtensionsClientOutputs;
  toJSON?: () => unknown;
}

/** Extension outputs with every binary value as base64url (e.g. `prf.results.first`). */
function extensionsJSON(value: unknown): unknown {
  if (isBinary(value)) return toBase64Url(value);
  if (Array.isArray(value)) return value.map(extensionsJSON);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, extensionsJSON(v)]));
  return value;
}

/** Calls an optional method of an authenticator response; undefined when the browser lacks it or it throws. */
function optional<T>(target: object, name: string): T | undefined {
  const fn = (target as Record<string, unknown>)[name];
  if (typeof fn !== 'function') return undefined;
  try {
    return (fn as () => T).call(target);
  } catch {
    return undefined;
  }
}

/**
 * `PublicKeyCredential.toJSON()` by hand (WebAuthn L3 §5.1.8): an assertion's `response` has
 * clientDataJSON, authenticatorData, signature and userHandle; a new credential's has
 * clientDataJSON, attestationObject, transports and, where the browser gives them,
 * authenticatorData, publicKey and publicKeyAlgorithm.
 */
export function encodeCredential(cred: CredentialLike): JsonObject {
  const r = cred.response as unknown as Record<string, unknown>;
  let response: JsonObject;
  if (isBinary(r.signature)) {
    const handle = r.userHandle as ArrayBuffer | null | undefined;
    response = {
      clientDataJSON: toBase64Url(r.clientDataJSON as ArrayBuffer),
      authenticatorData: toBase64Url(r.authenticatorData as ArrayBuffer),
      signature: toBase64Url(r.signature as ArrayBuffer),
      userHandle: handle ? toBase64Url(handle) : null,
    };
  } else if (isBinary(r.attestationObject)) {
    response = {
      clientDataJSON: toBase64Url(r.clientDataJSON as ArrayBuffer),
      attestationObject: toBase64Url(r.attestationObject as ArrayBuffer),
      transports: optional<string[]>(r, 'getTransports') ?? [],
    };
    const authData = optional<ArrayBuffer>(r, 'getAuthenticatorData');
    if (authData) response.authenticatorData = toBase64Url(authData);
    const publicKey = optional<ArrayBuffer | null>(r, 'getPublicKey');
    if (publicKey) response.publicKey = toBase64Url(publicKey);
    const alg = optional<number>(r, 'getPublicKeyAlgorithm');
    if (typeof alg === 'number') response.publicKeyAlgorithm = alg;
  } else {
    throw new TypeError('the browser answered with a credential that is neither an assertion nor an attestation');
  }
  return {
    id: cred.id,
    rawId: toBase64Url(cred.rawId),
    type: cred.type,
    response,
    clientExtensionResults: extensionsJSON(cred.getClientExtensionResults?.() ?? {}) as JsonObject,
    authenticatorAttachment: cred.authenticatorAttachment ?? null,
  };
}

/** The credential as JSON for the API: the browser's `toJSON()` where it has one, else encodeCredential. */
export function credentialJSON(cred: CredentialLike): JsonObject {
  if (typeof cred.toJSON === 'function') return cred.toJSON() as JsonObject;
  return encodeCredential(cred);
}

// ---- The ceremonies ----

/** `navigator.credentials.get()` for the options of an API answer; the assertion as JSON. */
export async function getAssertion(options: unknown, { mediation, signal }: { mediation?: CredentialMediationRequirement; signal?: AbortSignal } = {}): Promise<JsonObject> {
  const publicKey = requestOptions(options);
  const cred = (await navigator.credentials.get({ publicKey, mediation, signal })) as CredentialLike | null;
  if (!cred) throw new DOMException('The browser returned no passkey.', 'NotAllowedError');
  return credentialJSON(cred);
}

/** `navigator.credentials.create()` for the options of an API answer; the new credential as JSON. */
export async function createCredential(options: unknown, signal?: AbortSignal): Promise<JsonObject> {
  const publicKey = creationOptions(options);
  const cred = (await navigator.credentials.create({ publicKey, signal })) as CredentialLike | null;
  if (!cred) throw new DOMException('The browser created no passkey.', 'NotAllowedError');
  return credentialJSON(cred);
}

// ---- What went wrong, for people ----

/**
 * How a passkey attempt failed:
 * - `cancelled`: the person closed the browser's dialog, or it timed out, or no passkey of this
 *   site is on the device (the browser does not say which, on purpose): a calm note, not an error;
 * - `aborted`: the page stopped it (leaving, or starting another attempt): nothing to show;
 * - `exists`: creating: this authenticator already holds one of the account's passkeys;
 * - `address`: the page is not open at the server's public address (the relying party);
 * - `unsupported`: the browser or authenticator cannot do what was asked;
 * - `server`: the API refused (see the ApiError);
 * - `other`: anything else.
 */
export type PasskeyProblemKind = 'cancelled' | 'aborted' | 'exists' | 'address' | 'unsupported' | 'server' | 'other';

export interface PasskeyProblem {
  kind: PasskeyProblemKind;
  /** What to tell the person (empty for `aborted`). */
  message: string;
}

/** What a failed passkey attempt means. `rpId` names the relying party the options asked for. */
export function passkeyProblem(e: unknown, { creating = false, rpId, pageHost }: { creating?: boolean; rpId?: string; pageHost?: string } = {}): PasskeyProblem {
  if (e instanceof ApiError) return { kind: 'server', message: friendlyError(e) };
  // By name, not class: a DOMException from another realm is no `instanceof DOMException` here.
  const name = typeof e === 'object' && e !== null && typeof (e as { name?: unknown }).name === 'string' ? (e as { name: string }).name : '';
  switch (name) {
    case 'NotAllowedError':
      return {
        kind: 'cancelled',
        message: creating ? 'No passkey was created: the request was cancelled or timed out. You can try again.' : 'No passkey was used: the request was cancelled, timed out, or this device has no passkey for AuthNode.',
      };
    case 'AbortError':
      return { kind: 'aborted', message: '' };
    case 'InvalidStateError':
      return creating
        ? { kind: 'exists', message: 'This authenticator already holds one of your passkeys for AuthNode: use another authenticator, or remove the old passkey here first.' }
        : { kind: 'other', message: 'The authenticator is busy or in an unexpected state: please try again.' };
    case 'SecurityError':
      return {
        kind: 'address',
        message:
          rpId && pageHost && rpId !== pageHost
            ? `Passkeys for this server work at ${rpId}, but this page is open at ${pageHost}. Open AuthNode at its public address (AUTHNODE_PUBLIC_URL) to use passkeys.`
            : 'The browser refused passkeys at this address: open AuthNode at its public address (AUTHNODE_PUBLIC_URL), over https or on localhost.',
      };
    case 'NotSupportedError':
      return { kind: 'unsupported', message: 'This browser or authenticator cannot make the kind of passkey AuthNode needs (with a PIN, fingerprint or face check).' };
    case 'TypeError':
      return { kind: 'other', message: `The passkey request could not be read: ${e instanceof Error ? e.message : ''}`.trim() };
  }
  return { kind: 'other', message: e instanceof Error && e.message ? e.message : 'The passkey did not work: please try again.' };
}

/** The relying party an answer's options name (for the address message); undefined when absent. */
export function rpIdOf(options: unknown): string | undefined {
  try {
    const pk = publicKeyOf(options);
    const id = pk.rpId ?? (isObject(pk.rp) ? pk.rp.id : undefined);
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

// ---- Names ----

/** The longest passkey name the server keeps (Unicode characters, after trimming). */
export const PASSKEY_NAME_MAX = 64;

/** A typed passkey name → the name to send (trimmed), or why it is refused, as the server would. */
export function checkPasskeyName(typed: string): { name: string } | { error: string } {
  const name = typed.trim();
  const length = [...name].length;
  if (length === 0) return { error: 'Give the passkey a name, such as “Laptop” or “Phone”.' };
  if (length > PASSKEY_NAME_MAX) return { error: `Use at most ${PASSKEY_NAME_MAX} characters (this name has ${length}).` };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return { error: 'The name cannot hold line breaks or other control characters.' };
  return { name };
}

/** The operating system a browser runs on, from `navigator.userAgentData.platform` or the user-agent string. */
export function platformName(userAgent: string, uaDataPlatform?: string): string | undefined {
  const known: [RegExp, string][] = [
    [/android/i, 'Android'],
    [/iphone|ipod/i, 'iPhone'],
    [/ipad/i, 'iPad'],
    [/cros|chrome ?os/i, 'ChromeOS'],
    [/mac ?os|macintosh/i, 'macOS'],
    [/windows/i, 'Windows'],
    [/linux/i, 'Linux'],
  ];
  for (const source of [uaDataPlatform, userAgent]) {
    if (!source) continue;
    for (const [re, name] of known) if (re.test(source)) return name;
  }
  return undefined;
}

/** The name a new passkey is offered by default: "Passkey on Linux", or "Passkey". */
export function defaultPasskeyName(userAgent: string, uaDataPlatform?: string): string {
  const p = platformName(userAgent, uaDataPlatform);
  return p ? `Passkey on ${p}` : 'Passkey';
}

/** This browser's default passkey name. */
export function defaultPasskeyNameHere(): string {
  const data = (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData;
  return defaultPasskeyName(navigator.userAgent, data?.platform);
}

// ---- Step-up ----

/**
 * Whether a step-up (`stepped_up_until`) lasts at least `marginMs` more, so an action started now
 * (touching the authenticator takes a while) will not be refused halfway.
 */
export function steppedUpFor(until: string | null | undefined, nowMs: number = Date.now(), marginMs = 60_000): boolean {
  if (!until) return false;
  const t = Date.parse(until);
  return Number.isFinite(t) && t - nowMs >= marginMs;
}
