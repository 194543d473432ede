import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { SecondFactorChallenge } from '../api';
import { AuthProvider } from '../auth';
import { SecondFactorStep } from './SecondFactorStep';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const challenge = (methods: SecondFactorChallenge['methods'] = ['totp', 'recovery']): SecondFactorChallenge => ({ second_factor_required: true, challenge: 'ch-1', methods, expires_in: 300, webauthn: null });

let fetchMock: ReturnType<typeof vi.fn>;
/** What `POST /auth/login/second-factor` answers in this test. */
let answer: () => Response;

beforeEach(() => {
  answer = () => json(500, {});
  fetchMock = vi.fn(async (url: string) => {
    if (url === '/api/v1/auth/config') return json(200, { setup_required: false, signup_open: false, password_min_length: 10, password_max_length: 128 });
    if (url === '/api/v1/me') return json(401, { error: { code: 'unauthenticated', message: 'sign in' } });
    if (url === '/api/v1/auth/refresh') return json(401, { error: { code: 'unauthenticated', message: 'sign in' } });
    if (url === '/api/v1/auth/login/second-factor') return answer();
    throw new Error(`unexpected ${url}`);
  });
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function show(c: SecondFactorChallenge, onRestart = vi.fn()) {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <AuthProvider>
        <SecondFactorStep challenge={c} onRestart={onRestart} />
      </AuthProvider>
    </QueryClientProvider>,
  );
  return onRestart;
}

const sent = () => fetchMock.mock.calls.filter((c) => c[0] === '/api/v1/auth/login/second-factor').map((c) => JSON.parse(c[1].body));
const submit = () => fireEvent.click(screen.getByRole('button', { name: 'Verify' }));

describe('the second sign-in step', () => {
  it('asks for the app code with the phone-friendly field', () => {
    show(challenge());
    const field = screen.getByLabelText('6-digit code');
    expect(field.getAttribute('autocomplete')).toBe('one-time-code');
    expect(field.getAttribute('inputmode')).toBe('numeric');
    expect(document.activeElement).toBe(field);
  });

  it('catches a mistyped code without asking the server', () => {
    show(challenge());
    fireEvent.change(screen.getByLabelText('6-digit code'), { target: { value: '12345' } });
    submit();
    expect(screen.getByText('Enter the 6 digits your authenticator app shows.')).toBeTruthy();
    expect(sent()).toEqual([]);
  });

  it('sends the code without its spaces, and says when it is refused', async () => {
    answer = () => json(401, { error: { code: 'second_factor_invalid', message: 'no' } });
    show(challenge());
    const field = screen.getByLabelText('6-digit code') as HTMLInputElement;
    fireEvent.change(field, { target: { value: '123 456' } });
    submit();
    await screen.findByText(/That code is wrong or was used already/);
    expect(sent()).toEqual([{ challenge: 'ch-1', method: 'totp', code: '123456' }]);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.value).toBe('');
  });

  it('switches to a recovery code and back', async () => {
    answer = () => json(423, { error: { code: 'account_locked', message: 'locked' } });
    show(challenge());
    fireEvent.click(screen.getByRole('button', { name: 'Use a recovery code instead' }));
    const field = screen.getByLabelText('Recovery code');
    expect(field.getAttribute('autocomplete')).toBe('off');
    fireEvent.change(field, { target: { value: 'abcd-efgh-ijkl-mnop' } });
    submit();
    await screen.findByText(/this account is locked/);
    expect(sent()).toEqual([{ challenge: 'ch-1', method: 'recovery', code: 'abcd-efgh-ijkl-mnop' }]);
    fireEvent.click(screen.getByRole('button', { name: 'Use the code from your app instead' }));
    expect(screen.getByLabelText('6-digit code')).toBeTruthy();
  });

  it('offers no recovery code when the challenge does not', () => {
    show(challenge(['totp']));
    expect(screen.queryByRole('button', { name: 'Use a recovery code instead' })).toBeNull();
  });

  it('goes back to the password step when the challenge is no longer valid', async () => {
    answer = () => json(401, { error: { code: 'challenge_invalid', message: 'expired' } });
    const onRestart = show(challenge());
    fireEvent.change(screen.getByLabelText('6-digit code'), { target: { value: '654321' } });
    submit();
    await waitFor(() => expect(onRestart).toHaveBeenCalledOnce());
    expect(onRestart.mock.calls[0][0]).toMatch(/enter your password again/);
  });

  it('explains a passkey-only account in a browser without passkeys instead of showing a field it cannot use', () => {
    show({ ...challenge(['webauthn']), webauthn: OPTIONS });
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Use your passkey' })).toBeNull();
    expect(screen.getByRole('alert').textContent).toMatch(/this browser cannot use passkeys/);
  });

  it('offers the code where the browser has no passkeys but the account has an app too', () => {
    show({ ...challenge(['webauthn', 'totp']), webauthn: OPTIONS });
    expect(screen.getByLabelText('6-digit code')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Use your passkey instead' })).toBeNull();
  });
});

// The options the server sends with a challenge (webauthn-rs's shape).
const OPTIONS = { publicKey: { challenge: 'AAECAwQFBgcICQoLDA0ODw', rpId: 'localhost', allowCredentials: [{ type: 'public-key', id: 'AQID' }], userVerification: 'required', timeout: 300000 } };

describe('the second sign-in step with a passkey', () => {
  let get: ReturnType<typeof vi.fn>;
  const assertion = () => ({
    id: 'AQID',
    rawId: new Uint8Array([1, 2, 3]).buffer,
    type: 'public-key',
    authenticatorAttachment: 'platform',
    response: { clientDataJSON: new Uint8Array([123, 125]).buffer, authenticatorData: new Uint8Array([9]).buffer, signature: new Uint8Array([48, 69]).buffer, userHandle: new Uint8Array([7]).buffer },
  });
  beforeEach(() => {
    // A browser with WebAuthn, but without the JSON helpers: the hand-made encoding is used.
    vi.stubGlobal('PublicKeyCredential', class {});
    get = vi.fn(async () => assertion());
    Object.defineProperty(navigator, 'credentials', { value: { get }, configurable: true });
  });
  afterEach(() => {
    Reflect.deleteProperty(navigator, 'credentials');
  });
  const passkeyChallenge = (methods: SecondFactorChallenge['methods'] = ['webauthn', 'totp', 'recovery']) => ({ ...challenge(methods), webauthn: OPTIONS });
  const use = () => fireEvent.click(screen.getByRole('button', { name: 'Use your passkey' }));

  it('is the default when the account has one, with the focus on its button', () => {
    show(passkeyChallenge());
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Use your passkey' }));
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.getByRole('button', { name: 'Use the code from your app instead' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Use a recovery code instead' })).toBeTruthy();
  });

  it('asks the browser with the challenge’s options and sends the assertion', async () => {
    answer = () => json(200, { access_token: 'a', token_type: 'Bearer', expires_in: 900, refresh_token: 'r', session_id: 's', csrf_token: 'x', user: { id: 'u' } });
    show(passkeyChallenge());
    use();
    await waitFor(() => expect(sent()).toHaveLength(1));
    const publicKey = get.mock.calls[0][0].publicKey;
    expect([...new Uint8Array(publicKey.challenge)]).toEqual([...Array(16).keys()]);
    expect([...new Uint8Array(publicKey.allowCredentials[0].id)]).toEqual([1, 2, 3]);
    expect(sent()[0]).toEqual({
      challenge: 'ch-1',
      method: 'webauthn',
      credential: {
        id: 'AQID',
        rawId: 'AQID',
        type: 'public-key',
        response: { clientDataJSON: 'e30', authenticatorData: 'CQ', signature: 'MEU', userHandle: 'Bw' },
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
      },
    });
  });

  /** The browser's passkey dialog takes the focus while it is open (jsdom has no such dialog, nor focus fix-up). */
  const dialogTakesFocus = () => (document.activeElement as HTMLElement | null)?.blur();

  it('a cancel is a calm note, sends nothing, and the same request can be tried again', async () => {
    get.mockImplementationOnce(async () => {
      dialogTakesFocus();
      throw new DOMException('The operation either timed out or was not allowed.', 'NotAllowedError');
    });
    answer = () => json(423, { error: { code: 'account_locked', message: 'locked' } });
    show(passkeyChallenge());
    use();
    const note = await screen.findByRole('status');
    expect(note.textContent).toMatch(/No passkey was used/);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(sent()).toEqual([]);
    // The button was disabled while waiting: the focus comes back to it.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Use your passkey' })));
    use();
    await screen.findByText(/this account is locked/);
    expect(get).toHaveBeenCalledTimes(2);
    expect(sent()).toHaveLength(1);
  });

  it('after a refused answer the request is spent: start again, or use a code', async () => {
    answer = () => json(401, { error: { code: 'second_factor_invalid', message: 'no' } });
    get.mockImplementationOnce(async () => (dialogTakesFocus(), assertion()));
    const onRestart = show(passkeyChallenge(['webauthn', 'recovery']));
    use();
    expect((await screen.findByRole('alert')).textContent).toMatch(/That passkey could not be verified/);
    expect(screen.queryByRole('button', { name: 'Use your passkey' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Use your passkey instead' })).toBeNull();
    expect(screen.getByText(/A passkey request works only once/)).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Start again' })));
    // The code still works with the same challenge.
    fireEvent.click(screen.getByRole('button', { name: 'Use a recovery code instead' }));
    expect(screen.getByLabelText('Recovery code')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Use your passkey instead' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Back to the password step' }));
    expect(onRestart).toHaveBeenCalledWith(null);
  });

  it('"Start again" goes back to the password step', async () => {
    answer = () => json(401, { error: { code: 'second_factor_invalid', message: 'no' } });
    const onRestart = show(passkeyChallenge(['webauthn']));
    use();
    fireEvent.click(await screen.findByRole('button', { name: 'Start again' }));
    expect(onRestart).toHaveBeenCalledWith(null);
  });

  it('a used or expired passkey request sends the person back to the password step', async () => {
    answer = () => json(401, { error: { code: 'ceremony_invalid', message: 'spent' } });
    const onRestart = show(passkeyChallenge());
    use();
    await waitFor(() => expect(onRestart).toHaveBeenCalledOnce());
    expect(onRestart.mock.calls[0][0]).toMatch(/passkey request was already used or ran out: please enter your password again/);
  });

  it('switching to the app and back returns to the passkey', () => {
    show(passkeyChallenge());
    fireEvent.click(screen.getByRole('button', { name: 'Use the code from your app instead' }));
    expect(screen.getByLabelText('6-digit code')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Use your passkey instead' }));
    expect(screen.getByRole('button', { name: 'Use your passkey' })).toBeTruthy();
  });
});
