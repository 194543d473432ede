// Who is signed in, for the whole app: loads `/me` at start (refreshing the session cookie if the
// access token expired), signs in and out, and returns to the sign-in screen when the server
// ends the session (revoked elsewhere, refresh token reused, user disabled).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, auth, isChallenge, me, onSessionEnded, type AuthConfig, type RegisterBody, type SecondFactorChallenge, type SecondFactorMethod, type SessionTokens, type User } from './api';

interface AuthState {
  status: 'loading' | 'signed-out' | 'signed-in';
  user: User | null;
  config: AuthConfig | null;
  /** Why the user was sent back to sign-in (expired, locked after idle…). */
  notice: string | null;
}

interface AuthApi extends AuthState {
  /**
   * The password step. Signs in, or answers the challenge an account with a second factor gets:
   * `completeSignIn` then finishes with a code.
   */
  signIn(login: string, password: string): Promise<SecondFactorChallenge | null>;
  /** The second step of a challenged sign-in: a code, or (`webauthn`) a passkey's assertion. */
  completeSignIn(challenge: string, method: SecondFactorMethod, proof: { code: string } | { credential: Record<string, unknown> }): Promise<void>;
  /** A passwordless sign-in: the assertion answering the ceremony of `auth.passkeyOptions()`. */
  signInWithPasskey(ceremony: string, credential: Record<string, unknown>): Promise<void>;
  /** Signs out because of inactivity; survives a failed logout (see LOCKED_KEY). */
  lock(notice: string): Promise<void>;
  register(body: RegisterBody): Promise<void>;
  signOut(notice?: string): Promise<void>;
  setUser(u: User): void;
  reloadConfig(): Promise<void>;
}

const Ctx = createContext<AuthApi | null>(null);

/**
 * Set while an idle lock's logout has not reached the server (offline laptop waking up): the
 * session cookies are still valid then, so until the logout succeeds every load shows the
 * sign-in screen and retries the logout instead of resuming the session.
 */
export const LOCKED_KEY = 'authnode-locked';

const storage = {
  get: (k: string) => {
    try {
      return localStorage.getItem(k);
    } catch {
      return null;
    }
  },
  set: (k: string, v: string | null) => {
    try {
      if (v === null) localStorage.removeItem(k);
      else localStorage.setItem(k, v);
    } catch {
      /* storage disabled */
    }
  },
};

/** The signed-in state and the actions that change it. */
export function useAuth(): AuthApi {
  const v = useContext(Ctx);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

/** Provides `useAuth()` to the tree. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [state, setState] = useState<AuthState>({ status: 'loading', user: null, config: null, notice: null });

  const reloadConfig = useCallback(async () => {
    const config = await auth.config();
    setState((s) => ({ ...s, config }));
  }, []);

  useEffect(() => {
    let live = true;
    (async () => {
      const config = await auth.config().catch(() => null);
      const locked = storage.get(LOCKED_KEY);
      if (locked !== null) {
        // End the session the lock could not end; a 401 means it is gone already.
        try {
          await auth.logout();
          storage.set(LOCKED_KEY, null);
        } catch (e) {
          if (e instanceof ApiError && e.status === 401) storage.set(LOCKED_KEY, null);
        }
        if (live) setState({ status: 'signed-out', user: null, config, notice: locked || null });
        return;
      }
      try {
        const user = await me.get();
        if (live) setState({ status: 'signed-in', user, config, notice: null });
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

  const started = useCallback(
    (session: SessionTokens) => {
      qc.clear();
      storage.set(LOCKED_KEY, null);
      setState((s) => ({ ...s, status: 'signed-in', user: session.user, notice: null }));
    },
    [qc],
  );

  const signIn = useCallback(
    async (login: string, password: string) => {
      const res = await auth.login({ login, password });
      if (isChallenge(res)) return res;
      started(res);
      return null;
    },
    [started],
  );

  const completeSignIn = useCallback(
    async (challenge: string, method: SecondFactorMethod, proof: { code: string } | { credential: Record<string, unknown> }) => {
      started(await auth.secondFactor({ challenge, method, ...proof }));
    },
    [started],
  );

  const signInWithPasskey = useCallback(
    async (ceremony: string, credential: Record<string, unknown>) => {
      started(await auth.passkeySignIn({ ceremony, credential }));
    },
    [started],
  );

  const register = useCallback(
    async (body: RegisterBody) => {
      await auth.register(body);
      await signIn(body.email, body.password);
      await reloadConfig().catch(() => undefined);
    },
    [signIn, reloadConfig],
  );

  const signOut = useCallback(
    async (notice?: string) => {
      try {
        await auth.logout();
      } catch {
        /* already gone: signing out locally is what matters */
      }
      qc.clear();
      setState((s) => ({ ...s, status: 'signed-out', user: null, notice: notice ?? null }));
    },
    [qc],
  );

  const lock = useCallback(
    async (notice: string) => {
      storage.set(LOCKED_KEY, notice);
      qc.clear();
      setState((s) => ({ ...s, status: 'signed-out', user: null, notice }));
      try {
        await auth.logout();
        storage.set(LOCKED_KEY, null);
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) storage.set(LOCKED_KEY, null);
      }
    },
    [qc],
  );

  const setUser = useCallback((user: User) => setState((s) => ({ ...s, user })), []);

  const value = useMemo(
    () => ({ ...state, signIn, completeSignIn, signInWithPasskey, register, signOut, lock, setUser, reloadConfig }),
    [state, signIn, completeSignIn, signInWithPasskey, register, signOut, lock, setUser, reloadConfig],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}
