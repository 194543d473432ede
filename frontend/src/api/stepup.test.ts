// The API client's handling of second-factor answers: step-up and retry, wrong codes that are not
// about the session, and the two-factor policy's refusals.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, auth, friendlyError, isChallenge, me, onEnrolmentRequired, onSessionEnded, requestStepUp, setStepUpHandler, type LoginAnswer } from '.';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const refusal = (status: number, code: string, field?: string) => json(status, { error: { code, message: code, field } });

let fetchMock: ReturnType<typeof vi.fn>;
beforeEach(() => {
  fetchMock = vi.fn();
  vi.stubGlobal('fetch', fetchMock);
  document.cookie = 'authnode_csrf=csrf123; path=/';
});
afterEach(() => vi.unstubAllGlobals());

describe('step-up', () => {
  it('asks for the password, then retries the action once', async () => {
    const handler = vi.fn(async () => true);
    const off = setStepUpHandler(handler);
    fetchMock.mockResolvedValueOnce(refusal(403, 'reauthentication_required')).mockResolvedValueOnce(json(200, { recovery_codes: ['a', 'b'] }));
    await expect(me.regenerateRecoveryCodes()).resolves.toEqual(['a', 'b']);
    expect(handler).toHaveBeenCalledOnce();
    expect(fetchMock).toHaveBeenCalledTimes(2);
    // The retry is the same request, CSRF header included.
    expect(fetchMock.mock.calls[1][0]).toBe('/api/v1/me/recovery-codes');
    expect(fetchMock.mock.calls[1][1].method).toBe('POST');
    expect(fetchMock.mock.calls[1][1].headers['X-CSRF-Token']).toBe('csrf123');
    off();
  });

  it('sends the same body again (a code, a new email)', async () => {
    const off = setStepUpHandler(async () => true);
    fetchMock.mockResolvedValueOnce(refusal(403, 'reauthentication_required')).mockResolvedValueOnce(new Response(null, { status: 204 }));
    await me.disableTotp({ recovery_code: 'abcd-efgh' });
    expect(fetchMock.mock.calls.map((c) => [c[1].method, c[1].body])).toEqual([
      ['DELETE', '{"recovery_code":"abcd-efgh"}'],
      ['DELETE', '{"recovery_code":"abcd-efgh"}'],
    ]);
    off();
  });

  it('leaves the action undone when the person cancels', async () => {
    const off = setStepUpHandler(async () => false);
    fetchMock.mockResolvedValueOnce(refusal(403, 'reauthentication_required'));
    const err = await me.regenerateRecoveryCodes().catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 403, code: 'reauthentication_required' });
    expect(friendlyError(err)).toMatch(/password/);
    expect(fetchMock).toHaveBeenCalledOnce();
    off();
  });

  it('asks once for calls that need it at the same time', async () => {
    let release!: (ok: boolean) => void;
    const handler = vi.fn(() => new Promise<boolean>((r) => (release = r)));
    const off = setStepUpHandler(handler);
    let steppedUp = false;
    fetchMock.mockImplementation(async (url: string) => (steppedUp ? json(200, { url }) : refusal(403, 'reauthentication_required')));
    const both = Promise.all([api('/applications/a/secret'), api('/applications/b/secret')]);
    await vi.waitFor(() => expect(handler).toHaveBeenCalled());
    steppedUp = true;
    release(true);
    await expect(both).resolves.toEqual([{ url: '/api/v1/applications/a/secret' }, { url: '/api/v1/applications/b/secret' }]);
    expect(handler).toHaveBeenCalledOnce();
    off();
  });

  it('does not ask twice for one action', async () => {
    const handler = vi.fn(async () => true);
    const off = setStepUpHandler(handler);
    fetchMock.mockImplementation(async () => refusal(403, 'reauthentication_required'));
    await expect(api('/me/recovery-codes', { method: 'POST' })).rejects.toMatchObject({ code: 'reauthentication_required' });
    expect(handler).toHaveBeenCalledOnce();
    expect(fetchMock).toHaveBeenCalledTimes(2);
    off();
  });

  it('is a plain error without a handler (signed out)', async () => {
    fetchMock.mockResolvedValueOnce(refusal(403, 'reauthentication_required'));
    await expect(api('/me/recovery-codes', { method: 'POST' })).rejects.toMatchObject({ code: 'reauthentication_required' });
    expect(fetchMock).toHaveBeenCalledOnce();
  });

  it('a removed handler is no longer asked', async () => {
    const handler = vi.fn(async () => true);
    setStepUpHandler(handler)();
    fetchMock.mockResolvedValueOnce(refusal(403, 'reauthentication_required'));
    await expect(api('/me/recovery-codes', { method: 'POST' })).rejects.toMatchObject({ code: 'reauthentication_required' });
    expect(handler).not.toHaveBeenCalled();
  });

  it('can be asked for before an action (adding a passkey), sharing the dialog with calls that need it', async () => {
    let release!: (ok: boolean) => void;
    const handler = vi.fn(() => new Promise<boolean>((r) => (release = r)));
    const off = setStepUpHandler(handler);
    fetchMock.mockImplementation(async () => json(200, { recovery_codes: ['a'] }));
    fetchMock.mockResolvedValueOnce(refusal(403, 'reauthentication_required'));
    const call = me.regenerateRecoveryCodes();
    await vi.waitFor(() => expect(handler).toHaveBeenCalledOnce());
    const asked = requestStepUp(); // while the dialog is open: the same one
    release(true);
    await expect(asked).resolves.toBe(true);
    await expect(call).resolves.toEqual(['a']);
    expect(handler).toHaveBeenCalledOnce();
    off();
    await expect(requestStepUp()).resolves.toBe(false); // no dialog: nothing to ask with
  });

  it('a passkey step-up sends the ceremony and the assertion, and never asks for a step-up', async () => {
    const handler = vi.fn(async () => true);
    const off = setStepUpHandler(handler);
    fetchMock.mockResolvedValueOnce(json(200, { ceremony: 'c1', options: { publicKey: {} } })).mockResolvedValueOnce(json(200, { expires_in: 300 }));
    await expect(auth.reauthOptions()).resolves.toEqual({ ceremony: 'c1', options: { publicKey: {} } });
    await expect(auth.reauthWithPasskey('c1', { id: 'k' })).resolves.toEqual({ expires_in: 300 });
    expect(fetchMock.mock.calls.map((c) => [c[0], c[1].method, c[1].body])).toEqual([
      ['/api/v1/auth/reauth/options', 'POST', undefined],
      ['/api/v1/auth/reauth', 'POST', '{"ceremony":"c1","credential":{"id":"k"}}'],
    ]);
    expect(handler).not.toHaveBeenCalled();
    off();
  });

  it('the step-up call itself posts the password and never asks for a step-up', async () => {
    const handler = vi.fn(async () => true);
    const off = setStepUpHandler(handler);
    fetchMock.mockResolvedValueOnce(refusal(403, 'wrong_password', 'password'));
    await expect(auth.reauth('nope')).rejects.toMatchObject({ code: 'wrong_password', field: 'password' });
    expect(fetchMock.mock.calls[0][0]).toBe('/api/v1/auth/reauth');
    expect(fetchMock.mock.calls[0][1].body).toBe('{"password":"nope"}');
    expect(handler).not.toHaveBeenCalled();
    off();
  });
});

describe('401 answers about a code or a passkey, not the session', () => {
  it('a wrong code when removing the app is a 400 for its field, tried once', async () => {
    const ended = vi.fn();
    const off = onSessionEnded(ended);
    fetchMock.mockResolvedValueOnce(refusal(400, 'invalid_code', 'recovery_code'));
    await expect(me.disableTotp({ recovery_code: 'abcd-efgh' })).rejects.toMatchObject({ status: 400, code: 'invalid_code', field: 'recovery_code' });
    expect(fetchMock).toHaveBeenCalledOnce(); // no second attempt towards the lockout
    expect(ended).not.toHaveBeenCalled();
    off();
  });

  it.each([
    ['a refused passkey step-up', 'passkey_invalid', () => auth.reauthWithPasskey('c', {})],
    ['a spent step-up ceremony', 'ceremony_invalid', () => auth.reauthWithPasskey('c', {})],
    ['a spent registration ceremony', 'ceremony_invalid', () => me.registerPasskey({ ceremony: 'c', name: 'Key', credential: {} })],
  ])('%s neither refreshes nor ends the session', async (_, code, call) => {
    const ended = vi.fn();
    const off = onSessionEnded(ended);
    fetchMock.mockResolvedValueOnce(refusal(401, code));
    await expect(call()).rejects.toMatchObject({ status: 401, code });
    expect(fetchMock).toHaveBeenCalledOnce();
    expect(ended).not.toHaveBeenCalled();
    off();
  });

  it('a passwordless sign-in never refreshes', async () => {
    fetchMock.mockResolvedValueOnce(refusal(401, 'passkey_invalid'));
    await expect(auth.passkeySignIn({ ceremony: 'c', credential: {} })).rejects.toMatchObject({ code: 'passkey_invalid' });
    expect(fetchMock).toHaveBeenCalledOnce();
    expect(fetchMock.mock.calls[0][0]).toBe('/api/v1/auth/passkey');
  });

  it('the second sign-in step never refreshes', async () => {
    fetchMock.mockResolvedValueOnce(refusal(401, 'challenge_invalid'));
    await expect(auth.secondFactor({ challenge: 'c', method: 'totp', code: '123456' })).rejects.toMatchObject({ code: 'challenge_invalid' });
    expect(fetchMock).toHaveBeenCalledOnce();
    expect(fetchMock.mock.calls[0][0]).toBe('/api/v1/auth/login/second-factor');
  });

  it('an expired token still refreshes', async () => {
    fetchMock
      .mockResolvedValueOnce(refusal(401, 'invalid_token'))
      .mockResolvedValueOnce(new Response(null, { status: 200 }))
      .mockResolvedValueOnce(json(200, { totp_enabled: false }));
    await expect(me.secondFactors()).resolves.toEqual({ totp_enabled: false });
    expect(fetchMock.mock.calls[1][0]).toBe('/api/v1/auth/refresh');
  });
});

describe('the two-factor policy', () => {
  it('tells the app when the server insists on enrolment', async () => {
    const told = vi.fn();
    const off = onEnrolmentRequired(told);
    fetchMock.mockResolvedValueOnce(refusal(403, 'second_factor_enrolment_required'));
    await expect(api('/applications/codes')).rejects.toMatchObject({ code: 'second_factor_enrolment_required' });
    expect(told).toHaveBeenCalledOnce();
    fetchMock.mockResolvedValueOnce(refusal(403, 'forbidden'));
    await expect(api('/admin/users')).rejects.toMatchObject({ code: 'forbidden' });
    expect(told).toHaveBeenCalledOnce();
    off();
  });
});

describe('login answers', () => {
  it('tells a challenge from a session', () => {
    const challenge: LoginAnswer = { second_factor_required: true, challenge: 'c', methods: ['totp', 'recovery'], expires_in: 300, webauthn: null };
    expect(isChallenge(challenge)).toBe(true);
    const session = { access_token: 'a', token_type: 'Bearer', expires_in: 900, refresh_token: 'r', session_id: 's', csrf_token: 'x', user: {} } as LoginAnswer;
    expect(isChallenge(session)).toBe(false);
  });
});
