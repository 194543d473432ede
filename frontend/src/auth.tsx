// Who is signed in, for the whole app: loads `/me` at start (refreshing the session cookie if the
// access token expired), signs in and out, and returns to the sign-in screen when the server
// ends the session (revoked elsewhere, refresh token reused, user disabled).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError, onSessionEnded, type AuthConfig, type User } from './api';

interface AuthState {
  status: 'loading' | 'signed-out' | 'signed-in';
  user: User | null;
  config: AuthConfig | null;
  /** Why the user was sent back to sign-in (expired, locked after idle…). */
  notice: string | null;
}

interface AuthApi extends AuthState {
  signIn(login: string, password: string): Promise<void>;
  register(body: { email: string; username: string; password: string; display_name?: string }): Promise<void>;
  signOut(notice?: string): Promise<void>;
  setUser(u: User): void;
  reloadConfig(): Promise<void>;
}

const Ctx = createContext<AuthApi | null>(null);

/** The signed-in state and the actions that change it. */
export function useAuth(): AuthApi {
  const v = useContext(Ctx);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

interface LoginResponse {
  user: User;
  second_factor_required?: boolean;
}

/** Provides `useAuth()` to the tree. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [state, setState] = useState<AuthState>({ status: 'loading', user: null, config: null, notice: null });

  const reloadConfig = useCallback(async () => {
    const config = await api<AuthConfig>('/auth/config', { noRefresh: true });
    setState((s) => ({ ...s, config }));
  }, []);

  useEffect(() => {
    let live = true;
    (async () => {
      const config = await api<AuthConfig>('/auth/config', { noRefresh: true }).catch(() => null);
      try {
        const me = await api<{ user: User }>('/me');
        if (live) setState({ status: 'signed-in', user: me.user, config, notice: null });
      } catch {
        if (live) setState({ status: 'signed-out', user: null, config, notice: null });
      }
    })();
    return () => {
      live = false;
    };
  }, []);

  useEffect(
    () =>
      onSessionEnded(() => {
        qc.clear();
        setState((s) => (s.status === 'signed-in' ? { ...s, status: 'signed-out', user: null, notice: 'Your session has ended. Please sign in again.' } : s));
      }),
    [qc],
  );

  const signIn = useCallback(
    async (login: string, password: string) => {
      const res = await api<LoginResponse>('/auth/login', { body: { login, password }, noRefresh: true });
      if (res.second_factor_required) {
        // Seam for the second-factor step (TOTP, backup code, passkey) of a later release.
        throw new ApiError(400, 'second_factor_required', 'This account needs a second factor, which this version of the UI cannot do yet.');
      }
      qc.clear();
      setState((s) => ({ ...s, status: 'signed-in', user: res.user, notice: null }));
    },
    [qc],
  );

  const register = useCallback(
    async (body: { email: string; username: string; password: string; display_name?: string }) => {
      await api('/auth/register', { body, noRefresh: true });
      await signIn(body.email, body.password);
      await reloadConfig().catch(() => undefined);
    },
    [signIn, reloadConfig],
  );

  const signOut = useCallback(
    async (notice?: string) => {
      try {
        await api('/auth/logout', { method: 'POST' });
      } catch {
        /* already gone: signing out locally is what matters */
      }
      qc.clear();
      setState((s) => ({ ...s, status: 'signed-out', user: null, notice: notice ?? null }));
    },
    [qc],
  );

  const setUser = useCallback((user: User) => setState((s) => ({ ...s, user })), []);

  const value = useMemo(() => ({ ...state, signIn, register, signOut, setUser, reloadConfig }), [state, signIn, register, signOut, setUser, reloadConfig]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}
