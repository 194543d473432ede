// The sign-in page's passkeys: the autofill request (conditional mediation) and the button, each
// with a fresh ceremony; the autofill request stopped before the button's, renewed before its
// ceremony runs out, and stopped when leaving the page.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { AuthProvider } from '../auth';
import { AUTOFILL_RENEW_MS, SignIn } from './SignIn';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const SESSION = { access_token: 'a', token_type: 'Bearer', expires_in: 900, refresh_token: 'r', session_id: 's', csrf_token: 'x', user: { id: 'u', preferences: {} } };

/** A `navigator.credentials.get()` call the test answers; it rejects with AbortError when its signal aborts, as browsers do. */
interface Pending {
  options: CredentialRequestOptions;
  /** Whether every earlier request had been aborted when this one started. */
  othersAborted: boolean;
  resolve: (c: unknown) => void;
  reject: (e: unknown) => void;
}

let fetchMock: ReturnType<typeof vi.fn>;
let pending: Pending[];
let ceremonies: number;
let conditional: boolean;
/** What `POST /auth/passkey` answers. */
let signInAnswer: () => Response;

const assertion = () => ({
  id: 'AQID',
  rawId: new Uint8Array([1, 2, 3]).buffer,
  type: 'public-key',
  response: { clientDataJSON: new Uint8Array([1]).buffer, authenticatorData: new Uint8Array([2]).buffer, signature: new Uint8Array([3]).buffer, userHandle: new Uint8Array([4]).buffer },
  toJSON: () => ({ id: 'AQID', from: 'toJSON' }),
});

beforeEach(() => {
  pending = [];
  ceremonies = 0;
  conditional = true;
  signInAnswer = () => json(200, SESSION);
  fetchMock = vi.fn(async (url: string) => {
    if (url === '/api/v1/auth/config') return json(200, { setup_required: false, signup_open: false, password_min_length: 10, password_max_length: 128 });
    if (url === '/api/v1/me' || url === '/api/v1/auth/refresh') return json(401, { error: { code: 'unauthenticated', message: 'sign in' } });
    if (url === '/api/v1/auth/passkey/options') {
      ceremonies += 1;
      return json(200, { ceremony: `c${ceremonies}`, options: { mediation: 'conditional', publicKey: { challenge: 'AAECAw', rpId: 'localhost', allowCredentials: [], userVerification: 'required' } } });
    }
    if (url === '/api/v1/auth/passkey') return signInAnswer();
    throw new Error(`unexpected ${url}`);
  });
  vi.stubGlobal('fetch', fetchMock);
  vi.stubGlobal(
    'PublicKeyCredential',
    class {
      static isConditionalMediationAvailable = async () => conditional;
    },
  );
  const get = vi.fn(
    (options: CredentialRequestOptions) =>
      new Promise((resolve, reject) => {
        pending.push({ options, othersAborted: pending.every((p) => p.options.signal?.aborted ?? true), resolve, reject });
        options.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      }),
  );
  Object.defineProperty(navigator, 'credentials', { value: { get }, configurable: true });
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  Reflect.deleteProperty(navigator, 'credentials');
});

function show() {
  return render(
    <QueryClientProvider client={new QueryClient()}>
      <AuthProvider>
        <SignIn />
      </AuthProvider>
    </QueryClientProvider>,
  );
}

const posted = (path: string) => fetchMock.mock.calls.filter((c) => c[0] === path).map((c) => (c[1]?.body ? JSON.parse(c[1].body) : null));
const button = () => screen.getByRole('button', { name: 'Sign in with a passkey' });

describe('passkey autofill on the sign-in page', () => {
  it('waits for a passkey from the login field, with a fresh ceremony', async () => {
    show();
    await waitFor(() => expect(pending).toHaveLength(1));
    expect(pending[0].options.mediation).toBe('conditional');
    expect(pending[0].options.signal?.aborted).toBe(false);
    expect([...new Uint8Array(pending[0].options.publicKey!.challenge as ArrayBuffer)]).toEqual([0, 1, 2, 3]);
    expect(screen.getByLabelText('Email or username').getAttribute('autocomplete')).toBe('username webauthn');
    expect(ceremonies).toBe(1);
  });

  it('signs in with the passkey picked there, under the ceremony it was started with, and asks for no other', async () => {
    show();
    await waitFor(() => expect(pending).toHaveLength(1));
    pending[0].resolve(assertion());
    await waitFor(() => expect(posted('/api/v1/auth/passkey')).toEqual([{ ceremony: 'c1', credential: { id: 'AQID', from: 'toJSON' } }]));
    await new Promise((r) => setTimeout(r, 20));
    expect(ceremonies).toBe(1);
  });

  it('shows a refusal, then waits again with a fresh ceremony', async () => {
    signInAnswer = () => json(401, { error: { code: 'passkey_invalid', message: 'no' } });
    show();
    await waitFor(() => expect(pending).toHaveLength(1));
    pending[0].resolve(assertion());
    expect((await screen.findByRole('alert')).textContent).toMatch(/That passkey could not be verified/);
    await waitFor(() => expect(pending).toHaveLength(2));
    expect(pending[1].options.mediation).toBe('conditional');
    expect(ceremonies).toBe(2);
  });

  it('renews the request before its ceremony runs out', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    show();
    await waitFor(() => expect(pending).toHaveLength(1));
    await vi.advanceTimersByTimeAsync(AUTOFILL_RENEW_MS - 1000);
    expect(pending[0].options.signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(pending[0].options.signal?.aborted).toBe(true);
    await waitFor(() => expect(pending).toHaveLength(2));
    expect(pending[1].othersAborted).toBe(true);
    expect(ceremonies).toBe(2);
    expect(AUTOFILL_RENEW_MS).toBeLessThan(300_000); // a ceremony lasts five minutes
  });

  it('the button stops the autofill request first, then asks with its own fresh ceremony', async () => {
    show();
    await waitFor(() => expect(pending).toHaveLength(1));
    fireEvent.click(button());
    await waitFor(() => expect(pending).toHaveLength(2));
    expect(pending[1].othersAborted).toBe(true);
    expect(pending[1].options.mediation).toBeUndefined();
    expect(ceremonies).toBe(2);
    // Cancelled: a calm note; the autofill starts again with another ceremony.
    pending[1].reject(new DOMException('not allowed', 'NotAllowedError'));
    expect((await screen.findByRole('status')).textContent).toMatch(/No passkey was used.*You can try again, or sign in with your password\./);
    expect(screen.queryByRole('alert')).toBeNull();
    await waitFor(() => expect(pending).toHaveLength(3));
    expect(pending[2].options.mediation).toBe('conditional');
    expect(ceremonies).toBe(3);
    await waitFor(() => expect(document.activeElement).toBe(button()));
  });

  it('leaving the page stops the request', async () => {
    const { unmount } = show();
    await waitFor(() => expect(pending).toHaveLength(1));
    unmount();
    expect(pending[0].options.signal?.aborted).toBe(true);
  });

  it('the second step stops it too', async () => {
    fetchMock.mockImplementation(async (url: string) => {
      if (url === '/api/v1/auth/login') return json(200, { second_factor_required: true, challenge: 'ch', methods: ['totp'], expires_in: 300, webauthn: null });
      if (url === '/api/v1/auth/config') return json(200, { setup_required: false, signup_open: false, password_min_length: 10, password_max_length: 128 });
      if (url === '/api/v1/auth/passkey/options') return json(200, { ceremony: 'c1', options: { publicKey: { challenge: 'AAECAw' } } });
      return json(401, { error: { code: 'unauthenticated', message: 'sign in' } });
    });
    show();
    await waitFor(() => expect(pending).toHaveLength(1));
    fireEvent.change(screen.getByLabelText('Email or username'), { target: { value: 'pat' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'a long enough password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('heading', { name: 'Two-factor sign-in' });
    expect(pending[0].options.signal?.aborted).toBe(true);
  });

  it('a browser without passkey autofill asks nothing until the button is pressed', async () => {
    conditional = false;
    show();
    await screen.findByRole('heading', { name: 'Sign in' });
    await new Promise((r) => setTimeout(r, 20));
    expect(ceremonies).toBe(0);
    expect(pending).toHaveLength(0);
    fireEvent.click(button());
    await waitFor(() => expect(pending).toHaveLength(1));
    expect(pending[0].options.mediation).toBeUndefined();
    pending[0].resolve(assertion());
    await waitFor(() => expect(posted('/api/v1/auth/passkey')).toEqual([{ ceremony: 'c1', credential: { id: 'AQID', from: 'toJSON' } }]));
  });

  it('passkeys unavailable on this server: the button says why', async () => {
    conditional = false;
    fetchMock.mockImplementation(async (url: string) => {
      if (url === '/api/v1/auth/config') return json(200, { setup_required: false, signup_open: false, password_min_length: 10, password_max_length: 128 });
      if (url === '/api/v1/auth/passkey/options') return json(409, { error: { code: 'passkeys_unavailable', message: 'IP address' } });
      return json(401, { error: { code: 'unauthenticated', message: 'sign in' } });
    });
    show();
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in with a passkey' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/AUTHNODE_PUBLIC_URL to a host name/);
    expect(alert.getAttribute('data-code')).toBe('passkeys_unavailable');
    expect(pending).toHaveLength(0);
  });
});
