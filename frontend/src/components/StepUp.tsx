// Step-up: when a sensitive action answers `reauthentication_required` (removing a factor, new
// recovery codes, a new email, showing an application's secret), the API client asks this
// provider, which asks the person for their password in a modal, calls `POST /auth/reauth`, and
// lets the client retry the action once. Cancelling leaves the action undone (its error says so).
// A passkey could later be offered here as a second way to prove oneself.
import { useEffect, useRef, useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import { auth, setStepUpHandler } from '../api';
import { Dialog, ErrorNote, Field, fieldError } from './ui';

/** Installs the step-up dialog for every API call made while it is mounted (the signed-in shell). */
export function StepUpProvider({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const settle = useRef<((ok: boolean) => void) | null>(null);

  useEffect(() => {
    const remove = setStepUpHandler(
      () =>
        new Promise<boolean>((resolve) => {
          settle.current = resolve;
          setOpen(true);
        }),
    );
    return () => {
      remove();
      // Signed out (or the shell went away) while asking: the action is not done.
      settle.current?.(false);
      settle.current = null;
    };
  }, []);

  const done = (ok: boolean) => {
    settle.current?.(ok);
    settle.current = null;
    setOpen(false);
  };

  const password = useRef<HTMLInputElement>(null);
  return (
    <>
      {children}
      <Dialog open={open} title="Confirm your password" onClose={() => done(false)} initialFocus={password}>
        <StepUpForm input={password} onDone={done} />
      </Dialog>
    </>
  );
}

function StepUpForm({ input, onDone }: { input: RefObject<HTMLInputElement | null>; onDone: (ok: boolean) => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const password = String(new FormData(e.currentTarget).get('password') ?? '');
    setBusy(true);
    setError(null);
    try {
      await auth.reauth(password);
      onDone(true);
    } catch (err) {
      setError(err);
      input.current?.select();
    } finally {
      setBusy(false);
    }
  };
  const wrong = fieldError(error, 'password') ? 'That password is wrong.' : undefined;
  return (
    <form onSubmit={submit} data-testid="step-up">
      <p>This is a sensitive action: enter your password to continue. You will not be asked again for the next 5 minutes.</p>
      <Field label="Password" error={wrong}>
        {(p) => <input {...p} ref={input} name="password" type="password" autoComplete="current-password" required />}
      </Field>
      <ErrorNote error={wrong ? null : error} />
      <div className="actions">
        <button type="button" className="btn" onClick={() => onDone(false)}>
          Cancel
        </button>
        <button className="btn primary" disabled={busy}>
          {busy ? 'Checking…' : 'Confirm'}
        </button>
      </div>
    </form>
  );
}
