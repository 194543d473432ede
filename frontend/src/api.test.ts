import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, friendlyError, onSessionEnded, readCookie, toApiError } from './api';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('errors', () => {
  it('parses the API error shape', async () => {
    const e = await toApiError(json(422, { error: { code: 'invalid_field', message: 'bad digits', field: 'digits' } }));
    expect(e).toMatchObject({ status: 422, code: 'invalid_field', message: 'bad digits', field: 'digits' });
  });
  it('survives a body that is not JSON', async () => {
    const e = await toApiError(new Response('<html>gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    expect(e).toMatchObject({ status: 502, code: 'http_502', message: 'Bad Gateway' });
  });
  it('reads Retry-After for rate limits', async () => {
    const e = await toApiError(json(429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'retry-after': '17' }));
    expect(e.retryAfter).toBe(17);
    expect(friendlyError(e)).toBe('Too many attempts. Try again in 17 s.');
  });
  it('maps known codes to friendly text and falls back to the server message', () => {
    expect(friendlyError(new ApiError(423, 'account_locked', 'locked until …'))).toMatch(/locked/);
    expect(friendlyError(new ApiError(400, 'something_new', 'Server says why'))).toBe('Server says why');
    expect(friendlyError(new Error('plain'))).toBe('plain');
    expect(friendlyError(42)).toBe('Something went wrong.');
  });
});

describe('readCookie', () => {
  it('finds one cookie among several', () => expect(readCookie('authnode_csrf', 'a=1; authnode_csrf=tok%3Den; b=2')).toBe('tok=en'));
  it('is undefined when absent', () => expect(readCookie('x', 'a=1')).toBeUndefined());
});

describe('api()', () => {
  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    document.cookie = 'authnode_csrf=csrf123; path=/';
  });
  afterEach(() => vi.unstubAllGlobals());

  it('sends JSON with the CSRF header on unsafe methods only', async () => {
    fetchMock.mockResolvedValueOnce(json(201, { ok: true })).mockResolvedValueOnce(json(200, { ok: 1 }));
    await api('/applications', { body: { uri: 'x' } });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/v1/applications');
    expect(init.method).toBe('POST');
    expect(init.headers['X-CSRF-Token']).toBe('csrf123');
    expect(init.headers['Content-Type']).toBe('application/json');
    expect(init.body).toBe('{"uri":"x"}');
    await api('/me');
    expect(fetchMock.mock.calls[1][1].headers['X-CSRF-Token']).toBeUndefined();
  });

  it('refreshes once on 401 and retries the call', async () => {
    fetchMock
      .mockResolvedValueOnce(json(401, { error: { code: 'invalid_token', message: 'expired' } }))
      .mockResolvedValueOnce(new Response(null, { status: 200 }))
      .mockResolvedValueOnce(json(200, { user: { id: 'u' } }));
    await expect(api('/me')).resolves.toEqual({ user: { id: 'u' } });
    expect(fetchMock.mock.calls[1][0]).toBe('/api/v1/auth/refresh');
  });

  it('shares one refresh among simultaneous 401s, under a cross-tab lock', async () => {
    const request = vi.fn(async (_name: string, cb: () => Promise<boolean>) => cb());
    vi.stubGlobal('navigator', { ...navigator, locks: { request } });
    let refreshes = 0;
    fetchMock.mockImplementation(async (url: string) => {
      if (url === '/api/v1/auth/refresh') {
        refreshes++;
        return new Response(null, { status: 200 });
      }
      // Each call fails once (expired token), then succeeds after the refresh.
      return refreshes === 0 ? json(401, { error: { code: 'invalid_token', message: 'expired' } }) : json(200, { ok: url });
    });
    const results = await Promise.all([api('/me'), api('/applications'), api('/me/sessions')]);
    expect(results).toEqual([{ ok: '/api/v1/me' }, { ok: '/api/v1/applications' }, { ok: '/api/v1/me/sessions' }]);
    expect(refreshes).toBe(1);
    expect(request).toHaveBeenCalledOnce();
    expect(request.mock.calls[0][0]).toBe('authnode-refresh');
  });

  it('ends the session when the refresh is refused', async () => {
    const ended = vi.fn();
    const off = onSessionEnded(ended);
    fetchMock.mockResolvedValueOnce(json(401, { error: { code: 'invalid_token', message: 'expired' } })).mockResolvedValueOnce(json(401, { error: { code: 'invalid_refresh_token', message: 'no' } }));
    await expect(api('/me')).rejects.toMatchObject({ status: 401 });
    expect(ended).toHaveBeenCalledOnce();
    off();
  });

  it('returns undefined for 204', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }));
    await expect(api('/me/sessions/x', { method: 'DELETE' })).resolves.toBeUndefined();
  });

  it('reports network failures with their own code', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(api('/me', { noRefresh: true })).rejects.toMatchObject({ code: 'network_error' });
  });
});
