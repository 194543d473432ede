// Sign-in (with its second step for accounts with a second factor), registration and the
// first-run screen that creates the first administrator. A passkey signs in alone, with the
// "Sign in with a passkey" button or from the browser's autofill of the login field
// (conditional mediation); each attempt takes a fresh ceremony, as one works once and for five
// minutes, and the autofill request is stopped before the button's or when leaving the page.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { auth, type SecondFactorChallenge } from '../api';
import { useAuth } from '../auth';
import { ErrorNote, Field, fieldError, useFocusLater } from '../components/ui';
import { browserWebAuthn, getAssertion, passkeyProblem, rpIdOf, webAuthnSupported } from '../lib/webauthn';
import { SecondFactorStep } from './SecondFactorStep';

type Mode = 'login' | 'register';

/** An autofill request is renewed this often, before its ceremony (five minutes) runs out. */
export const AUTOFILL_RENEW_MS = 270_000;

/** A passkey attempt's outcome for the person: a calm note (cancelled) or an error. */
type PasskeyNote = { calm: boolean; message: string; code?: string } | null;

/**
 * The browser's passkey autofill on the login field, while `active`: asks the server for a
 * ceremony, waits (`mediation: "conditional"`) for the person to pick a passkey there, and hands
 * the assertion to `use` (true once signed in); after a refusal it starts over with a fresh
 * ceremony, as it also does every AUTOFILL_RENEW_MS.
 * Stops quietly where the browser has no autofill for passkeys or the server offers none.
 * Returns `stop()`, which ends the waiting request and resolves once the browser let it go.
 */
function usePasskeyAutofill(active: boolean, use: (ceremony: string, credential: Record<string, unknown>) => Promise<boolean>) {
  const latestUse = useRef(use);
  latestUse.current = use;
  const running = useRef<{ stop: () => Promise<void> } | null>(null);
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let controller: AbortController | null = null;
    const run = (async () => {
      const statics = browserWebAuthn();
      const available = await statics?.isConditionalMediationAvailable?.().catch(() => false);
      while (available && !stopped) {
        let ceremony: string;
        let options: unknown;
        try {
          ({ ceremony, options } = await auth.passkeyOptions());
        } catch {
          return; // passkeys unavailable here, or rate limited: the form works without autofill
        }
        if (stopped) return;
        const attempt = new AbortController();
        controller = attempt;
        const renew = setTimeout(() => attempt.abort('renew'), AUTOFILL_RENEW_MS);
        let credential: Record<string, unknown>;
        try {
          credential = await getAssertion(options, { mediation: 'conditional', signal: attempt.signal });
        } catch {
          if (!stopped && attempt.signal.reason === 'renew') continue;
          return; // stopped, or the browser will not offer autofill here (the button still explains why)
        } finally {
          clearTimeout(renew);
        }
        if (stopped || (await latestUse.current(ceremony, credential))) return;
      }
    })();
    const stop = async () => {
      stopped = true;
      controller?.abort('stop');
      await run;
    };
    running.current = { stop };
    return () => {
      void stop();
      if (running.current?.stop === stop) running.current = null;
    };
  }, [active]);
  return useCallback(async () => {
    await running.current?.stop();
    running.current = null;
  }, []);
}

export function SignIn() {
  const { config, notice, signIn, signInWithPasskey, register } = useAuth();
  const firstRun = config?.setup_required ?? false;
  const [mode, setMode] = useState<Mode>(firstRun ? 'register' : 'login');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  /** Set once the password passed for an account with a second factor: the second step shows. */
  const [challenge, setChallenge] = useState<SecondFactorChallenge | null>(null);
  /** Why the person is back at the password step (the second step's challenge expired). */
  const [restartNotice, setRestartNotice] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.documentElement.dataset.theme = 'auto';
    heading.current?.focus();
  }, [mode, challenge]);
  useEffect(() => {
    if (firstRun) setMode('register');
  }, [firstRun]);

  const passkeys = webAuthnSupported();
  const [passkeyBusy, setPasskeyBusy] = useState(false);
  const [passkeyNote, setPasskeyNote] = useState<PasskeyNote>(null);
  const passkeyButton = useRef<HTMLButtonElement>(null);
  const focusLater = useFocusLater();
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  /** Signs in with an assertion (true when done); a refusal is shown, and the page stays for another attempt. */
  const finishPasskey = async (ceremony: string, credential: Record<string, unknown>) => {
    try {
      await signInWithPasskey(ceremony, credential);
      return true;
    } catch (err) {
      if (live.current) setPasskeyNote({ calm: false, message: passkeyProblem(err).message, code: (err as { code?: string }).code });
      return false;
    }
  };
  const stopAutofill = usePasskeyAutofill(passkeys && mode === 'login' && !firstRun && !challenge && !passkeyBusy, (ceremony, credential) => {
    setError(null);
    setPasskeyNote(null);
    return finishPasskey(ceremony, credential);
  });

  /** The button: a fresh ceremony, the browser's passkey dialog, then the sign-in. */
  const passkeySignIn = async () => {
    let signedIn = false;
    setPasskeyBusy(true);
    setError(null);
    setPasskeyNote(null);
    await stopAutofill();
    try {
      let ceremony: string;
      let options: unknown;
      try {
        ({ ceremony, options } = await auth.passkeyOptions());
      } catch (err) {
        setPasskeyNote({ calm: false, message: passkeyProblem(err).message, code: (err as { code?: string }).code });
        return;
      }
      let credential: Record<string, unknown>;
      try {
        credential = await getAssertion(options);
      } catch (err) {
        const p = passkeyProblem(err, { rpId: rpIdOf(options), pageHost: location.hostname });
        if (p.kind !== 'aborted') setPasskeyNote({ calm: p.kind === 'cancelled', message: p.kind === 'cancelled' ? `${p.message} You can try again, or sign in with your password.` : p.message });
        return;
      }
      signedIn = await finishPasskey(ceremony, credential);
    } finally {
      // Also starts a new autofill request (with a fresh ceremony) when the page stays. The
      // button was disabled meanwhile, which took the focus away from it: give it back.
      if (live.current && !signedIn) {
        setPasskeyBusy(false);
        focusLater(passkeyButton);
      }
    }
  };

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const get = (k: string) => String(f.get(k) ?? '');
    setBusy(true);
    setError(null);
    setPasskeyNote(null);
    try {
      if (mode === 'login') {
        const next = await signIn(get('login').trim(), get('password'));
        if (next) {
          setRestartNotice(null);
          setChallenge(next);
        }
      } else {
        if (get('password') !== get('password2')) {
          setError(new Error('The two passwords differ.'));
          return;
        }
        await register({ email: get('email').trim(), username: get('username').trim(), password: get('password'), display_name: get('display_name').trim() || undefined });
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const min = config?.password_min_length ?? 10;
  return (
    <div className="center-screen">
      <main className="card auth-card" id="main">
        <div className="brand big">
          <img src="/favicon.svg" alt="" width={36} height={36} /> AuthNode
        </div>
        {(restartNotice ?? notice) && (
          <p className="notice" role="status">
            {restartNotice ?? notice}
          </p>
        )}
        {challenge ? (
          <SecondFactorStep
            challenge={challenge}
            onRestart={(why) => {
              setChallenge(null);
              setError(null);
              setRestartNotice(why);
            }}
          />
        ) : (
          <>
            <h1 ref={heading} tabIndex={-1}>
              {firstRun ? 'Welcome: create the administrator' : mode === 'login' ? 'Sign in' : 'Create an account'}
            </h1>
            {firstRun && <p className="muted">This server has no accounts yet. The first account becomes its administrator.</p>}
            <form onSubmit={submit} noValidate={false} aria-busy={busy}>
              {mode === 'login' ? (
                <>
                  <Field label="Email or username" error={fieldError(error, 'login')}>
                    {(p) => <input {...p} name="login" autoComplete={passkeys ? 'username webauthn' : 'username'} required autoFocus />}
                  </Field>
                  <Field label="Password" error={fieldError(error, 'password')}>
                    {(p) => <input {...p} name="password" type="password" autoComplete="current-password" required />}
                  </Field>
                </>
              ) : (
                <>
                  <Field label="Email" error={fieldError(error, 'email')}>
                    {(p) => <input {...p} name="email" type="email" autoComplete="email" required autoFocus />}
                  </Field>
                  <Field label="Username" error={fieldError(error, 'username')} hint="Letters, digits, dots, dashes and underscores.">
                    {(p) => <input {...p} name="username" autoComplete="username" required />}
                  </Field>
                  <Field label="Display name (optional)" error={fieldError(error, 'display_name')}>
                    {(p) => <input {...p} name="display_name" autoComplete="name" />}
                  </Field>
                  <Field label="Password" error={fieldError(error, 'password')} hint={`At least ${min} characters.`}>
                    {(p) => <input {...p} name="password" type="password" autoComplete="new-password" minLength={min} required />}
                  </Field>
                  <Field label="Repeat password">{(p) => <input {...p} name="password2" type="password" autoComplete="new-password" required />}</Field>
                </>
              )}
              <ErrorNote error={error && !(fieldError(error, 'login') || fieldError(error, 'password') || fieldError(error, 'email') || fieldError(error, 'username') || fieldError(error, 'display_name')) ? error : null} />
              <button className="btn primary wide" type="submit" disabled={busy || passkeyBusy}>
                {busy ? 'Please wait…' : mode === 'login' ? 'Sign in' : firstRun ? 'Create administrator' : 'Create account'}
              </button>
            </form>
            {mode === 'login' && !firstRun && passkeys && (
              <div className="passkey-sign-in" data-testid="passkey-sign-in">
                <p className="or" aria-hidden="true">
                  <span>or</span>
                </p>
                {passkeyNote &&
                  (passkeyNote.calm ? (
                    <p className="notice" role="status" data-testid="passkey-note">
                      {passkeyNote.message}
                    </p>
                  ) : (
                    <p className="error-note" role="alert" data-code={passkeyNote.code}>
                      {passkeyNote.message}
                    </p>
                  ))}
                <button ref={passkeyButton} type="button" className="btn wide" onClick={passkeySignIn} disabled={busy || passkeyBusy} aria-busy={passkeyBusy}>
                  {passkeyBusy ? 'Waiting for your passkey…' : 'Sign in with a passkey'}
                </button>
              </div>
            )}
            {/* Single sign-on plugs in here (SPEC §6); this server does not offer it yet. */}
            {!firstRun && (
              <p className="switch">
                {mode === 'login' ? (
                  config?.signup_open ? (
                    <button type="button" className="link" onClick={() => (setMode('register'), setError(null))}>
                      No account? Create one
                    </button>
                  ) : (
                    <span className="muted small">Accounts are created by an administrator.</span>
                  )
                ) : (
                  <button type="button" className="link" onClick={() => (setMode('login'), setError(null))}>
                    Have an account? Sign in
                  </button>
                )}
              </p>
            )}
          </>
        )}
      </main>
    </div>
  );
}
