// Step-up: when a sensitive action answers `reauthentication_required` (removing a factor, new
// recovery codes, a new email, showing an application's secret, adding a passkey), the API client
// asks this provider, which asks the person to prove who they are again in a modal — with a
// passkey when the account has one (`POST /auth/reauth/options`, then the assertion to
// `POST /auth/reauth`), or with the password — and lets the client retry the action once.
// Cancelling leaves the action undone (its error says so).
import { useEffect, useRef, useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, auth, me, queryKeys, setStepUpHandler } from '../api';
import { getAssertion, passkeyProblem, rpIdOf, webAuthnSupported } from '../lib/webauthn';
import { Dialog, ErrorNote, Field, fieldError, useFocusLater } from './ui';

/** Installs the step-up dialog for every API call made while it is mounted (the signed-in shell). */
export function StepUpProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  /** Open, and whether to offer a passkey. */
  const [open, setOpen] = useState<{ passkey: boolean } | null>(null);
  const settle = useRef<((ok: boolean) => void) | null>(null);

  useEffect(() => {
    let live = true;
    const remove = setStepUpHandler(async () => {
      // Offer a passkey only to an account that has one, in a browser that can use it.
      let passkey = false;
      if (webAuthnSupported()) {
        try {
          const status = await qc.fetchQuery({ queryKey: queryKeys.secondFactors, queryFn: () => me.secondFactors(), staleTime: 30_000 });
          passkey = status.passkeys.length > 0;
        } catch {
          passkey = false;
        }
      }
      if (!live) return false;
      return new Promise<boolean>((resolve) => {
        settle.current = resolve;
        setOpen({ passkey });
      });
    });
    return () => {
      live = false;
      remove();
      // Signed out (or the shell went away) while asking: the action is not done.
      settle.current?.(false);
      settle.current = null;
    };
  }, [qc]);

  const done = (ok: boolean) => {
    settle.current?.(ok);
    settle.current = null;
    setOpen(null);
    // The status shows until when the step-up lasts.
    if (ok) qc.invalidateQueries({ queryKey: queryKeys.secondFactors });
  };

  const password = useRef<HTMLInputElement>(null);
  const passkeyButton = useRef<HTMLButtonElement>(null);
  return (
    <>
      {children}
      <Dialog open={open !== null} title={open?.passkey ? 'Confirm it’s you' : 'Confirm your password'} onClose={() => done(false)} initialFocus={open?.passkey ? passkeyButton : password}>
        <StepUpForm input={password} passkeyButton={passkeyButton} offerPasskey={open?.passkey ?? false} onDone={done} />
      </Dialog>
    </>
  );
}

function StepUpForm({ input, passkeyButton, offerPasskey, onDone }: { input: RefObject<HTMLInputElement | null>; passkeyButton: RefObject<HTMLButtonElement | null>; offerPasskey: boolean; onDone: (ok: boolean) => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<null | 'password' | 'passkey'>(null);
  const [passkey, setPasskey] = useState(offerPasskey);
  /** The outcome of a passkey attempt: a calm note (cancelled) or an error. */
  const [note, setNote] = useState<{ calm: boolean; message: string; code?: string } | null>(null);
  const focusLater = useFocusLater();

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const password = String(new FormData(e.currentTarget).get('password') ?? '');
    setBusy('password');
    setError(null);
    setNote(null);
    try {
      await auth.reauth(password);
      onDone(true);
    } catch (err) {
      setError(err);
      input.current?.select();
    } finally {
      setBusy(null);
    }
  };

  /** A fresh ceremony each time (one works once, for five minutes), the browser's dialog, then the step-up. */
  const stepUpWithPasskey = async () => {
    let done = false;
    setBusy('passkey');
    setError(null);
    setNote(null);
    try {
      const { ceremony, options } = await auth.reauthOptions();
      let credential: Record<string, unknown>;
      try {
        credential = await getAssertion(options);
      } catch (err) {
        const p = passkeyProblem(err, { rpId: rpIdOf(options), pageHost: location.hostname });
        if (p.kind !== 'aborted') setNote({ calm: p.kind === 'cancelled', message: p.kind === 'cancelled' ? `${p.message} Try again, or enter your password.` : p.message });
        return;
      }
      await auth.reauthWithPasskey(ceremony, credential);
      done = true;
      onDone(true);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'no_passkey') setPasskey(false);
      setNote({ calm: false, message: passkeyProblem(err).message, code: err instanceof ApiError ? err.code : undefined });
    } finally {
      setBusy(null);
      // The button was disabled while waiting, which took the focus away: give it back (or to
      // the password, when no passkey is left to offer).
      if (!done) focusLater(passkeyButton.current ? passkeyButton : input);
    }
  };

  const wrong = fieldError(error, 'password') ? 'That password is wrong.' : undefined;
  return (
    <div data-testid="step-up-choice">
      <p>
        This is a sensitive action: {passkey ? 'confirm it’s you with a passkey or your password' : 'enter your password'} to continue. You will not be asked again for the next 5
        minutes.
      </p>
      {note &&
        (note.calm ? (
          <p className="notice" role="status" data-testid="passkey-note">
            {note.message}
          </p>
        ) : (
          <p className="error-note" role="alert" data-code={note.code}>
            {note.message}
          </p>
        ))}
      {passkey && (
        <>
          <button ref={passkeyButton} type="button" className="btn primary wide" onClick={stepUpWithPasskey} disabled={busy !== null}>
            {busy === 'passkey' ? 'Waiting for your passkey…' : 'Use a passkey'}
          </button>
          <p className="or" aria-hidden="true">
            <span>or</span>
          </p>
        </>
      )}
      <form onSubmit={submit} data-testid="step-up">
        <Field label="Password" error={wrong}>
          {(p) => <input {...p} ref={input} name="password" type="password" autoComplete="current-password" required />}
        </Field>
        <ErrorNote error={wrong ? null : error} />
        <div className="actions">
          <button type="button" className="btn" onClick={() => onDone(false)}>
            Cancel
          </button>
          <button className={`btn${passkey ? '' : ' primary'}`} disabled={busy !== null}>
            {busy === 'password' ? 'Checking…' : passkey ? 'Confirm with password' : 'Confirm'}
          </button>
        </div>
      </form>
    </div>
  );
}
