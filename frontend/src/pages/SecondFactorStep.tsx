// The second step of signing in, for an account with a second factor: a code from the
// authenticator app, or one of the recovery codes. The challenge from the password step is good
// for a few minutes and once; when the server no longer knows it, the person starts again.
// Passkeys (`webauthn`) will be one more method here: a button instead of a code field.
import { useRef, useState, type FormEvent } from 'react';
import { ApiError, friendlyError, type SecondFactorChallenge } from '../api';
import { useAuth } from '../auth';
import { OneTimeCodeField } from '../components/Secrets';
import { ErrorNote } from '../components/ui';
import { cleanTotpCode, usableMethods, type UiMethod } from '../lib/factors';

/** Why a code was refused, next to the field; other failures show below the form. */
function codeError(e: unknown, method: UiMethod): string | undefined {
  if (e instanceof ApiError && e.code === 'second_factor_invalid') {
    return method === 'totp' ? 'That code is wrong or was used already. Enter the code your app shows now (each code works once).' : 'That recovery code is wrong or was used already.';
  }
  if (e instanceof Error && !(e instanceof ApiError)) return e.message;
  return undefined;
}

export function SecondFactorStep({ challenge, onRestart }: { challenge: SecondFactorChallenge; onRestart: (notice: string | null) => void }) {
  const { completeSignIn } = useAuth();
  const methods = usableMethods(challenge.methods);
  const [method, setMethod] = useState<UiMethod | undefined>(methods[0]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!method) return;
    const typed = String(new FormData(e.currentTarget).get('code') ?? '').trim();
    const code = method === 'totp' ? cleanTotpCode(typed) : typed;
    if (!code) {
      // Caught here: a typo should not count towards the lockout.
      setError(new Error(method === 'totp' ? 'Enter the 6 digits your authenticator app shows.' : 'Enter one of your recovery codes.'));
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await completeSignIn(challenge.challenge, method, code);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'challenge_invalid') {
        onRestart(friendlyError(err));
        return;
      }
      setError(err);
      if (input.current) {
        input.current.value = '';
        input.current.focus();
      }
    } finally {
      setBusy(false);
    }
  };

  const switchTo = (m: UiMethod) => {
    setMethod(m);
    setError(null);
    // The field is replaced: focus the new one once it is there.
    requestAnimationFrame(() => input.current?.focus());
  };

  const fieldMsg = method ? codeError(error, method) : undefined;
  return (
    <>
      <h1>Two-factor sign-in</h1>
      {method ? (
        <form onSubmit={submit} aria-busy={busy} data-testid="second-factor">
          <p className="muted">{method === 'totp' ? 'Open your authenticator app and enter the code it shows for AuthNode.' : 'Lost your phone? Enter one of the recovery codes you saved when you set up two-factor sign-in.'}</p>
          <OneTimeCodeField method={method} error={fieldMsg} inputRef={input} autoFocus />
          <ErrorNote error={fieldMsg ? null : error} />
          <button className="btn primary wide" type="submit" disabled={busy}>
            {busy ? 'Please wait…' : 'Verify'}
          </button>
        </form>
      ) : (
        <p className="notice" role="alert">
          This account signs in with a passkey, which this version of the web UI cannot use yet. An administrator can reset its second factors.
        </p>
      )}
      <p className="switch stack-small">
        {method === 'totp' && methods.includes('recovery') && (
          <button type="button" className="link" onClick={() => switchTo('recovery')}>
            Use a recovery code instead
          </button>
        )}
        {method === 'recovery' && methods.includes('totp') && (
          <button type="button" className="link" onClick={() => switchTo('totp')}>
            Use the code from your app instead
          </button>
        )}
        <button type="button" className="link" onClick={() => onRestart(null)}>
          Back to the password step
        </button>
      </p>
    </>
  );
}
