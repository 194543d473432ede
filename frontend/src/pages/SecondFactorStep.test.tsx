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

  it('explains a passkey-only account instead of showing a field it cannot use', () => {
    show(challenge(['webauthn']));
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.getByRole('alert').textContent).toMatch(/passkey/);
  });
});
