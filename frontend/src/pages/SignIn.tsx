// Sign-in (with its second step for accounts with a second factor), registration and the
// first-run screen that creates the first administrator.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { SecondFactorChallenge } from '../api';
import { useAuth } from '../auth';
import { ErrorNote, Field, fieldError } from '../components/ui';
import { SecondFactorStep } from './SecondFactorStep';

type Mode = 'login' | 'register';

export function SignIn() {
  const { config, notice, signIn, register } = useAuth();
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

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const get = (k: string) => String(f.get(k) ?? '');
    setBusy(true);
    setError(null);
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
                    {(p) => <input {...p} name="login" autoComplete="username" required autoFocus />}
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
              <button className="btn primary wide" type="submit" disabled={busy}>
                {busy ? 'Please wait…' : mode === 'login' ? 'Sign in' : firstRun ? 'Create administrator' : 'Create account'}
              </button>
            </form>
            {/* Passkey and single sign-on entry points plug in here (SPEC §6); this server offers neither yet. */}
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
