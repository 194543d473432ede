// The second step of signing in, for an account with a second factor: a passkey (the default
// when the account has one), a code from the authenticator app, or one of the recovery codes.
// The challenge from the password step is good for a few minutes and once; when the server no
// longer knows it, the person starts again. The passkey request that came with it is good once
// too: after a passkey answer the server refused, only a code (same challenge) or a new sign-in
// from the password will do.
import { useRef, useState, type FormEvent, type RefObject } from 'react';
import { ApiError, friendlyError, type SecondFactorChallenge } from '../api';
import { useAuth } from '../auth';
import { OneTimeCodeField } from '../components/Secrets';
import { ErrorNote, useFocusLater } from '../components/ui';
import { cleanTotpCode, usableMethods, type CodeMethod, type UiMethod } from '../lib/factors';
import { getAssertion, passkeyProblem, rpIdOf, webAuthnSupported } from '../lib/webauthn';

/** Why a code was refused, next to the field; other failures show below the form. */
function codeError(e: unknown, method: CodeMethod): string | undefined {
  if (e instanceof ApiError && e.code === 'second_factor_invalid') {
    return method === 'totp' ? 'That code is wrong or was used already. Enter the code your app shows now (each code works once).' : 'That recovery code is wrong or was used already.';
  }
  if (e instanceof Error && !(e instanceof ApiError)) return e.message;
  return undefined;
}

const METHOD_SWITCH: Record<UiMethod, string> = {
  webauthn: 'Use your passkey instead',
  totp: 'Use the code from your app instead',
  recovery: 'Use a recovery code instead',
};

export function SecondFactorStep({ challenge, onRestart }: { challenge: SecondFactorChallenge; onRestart: (notice: string | null) => void }) {
  const supported = webAuthnSupported();
  const methods = usableMethods(challenge.methods, { webauthn: supported, options: challenge.webauthn !== null });
  const [method, setMethod] = useState<UiMethod | undefined>(methods[0]);
  /** The server refused a passkey answer: this challenge's passkey request is used up. */
  const [passkeySpent, setPasskeySpent] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const passkeyButton = useRef<HTMLButtonElement>(null);

  const switchTo = (m: UiMethod) => {
    setMethod(m);
    // The field or button is replaced: focus the new one once it is there.
    requestAnimationFrame(() => (m === 'webauthn' ? passkeyButton.current : input.current)?.focus());
  };
  const others = methods.filter((m) => m !== method && !(m === 'webauthn' && passkeySpent));

  return (
    <>
      <h1>Two-factor sign-in</h1>
      {method === 'webauthn' ? (
        <PasskeyStep challenge={challenge} buttonRef={passkeyButton} spent={passkeySpent} onSpent={() => setPasskeySpent(true)} onRestart={onRestart} canSwitch={others.length > 0} />
      ) : method ? (
        <CodeStep key={method} challenge={challenge} method={method} inputRef={input} onRestart={onRestart} />
      ) : (
        <p className="notice" role="alert" data-testid="no-usable-method">
          {challenge.methods.includes('webauthn') && !supported
            ? 'This account signs in with a passkey, but this browser cannot use passkeys. Sign in with a browser that supports them (any recent Chrome, Edge, Firefox or Safari), or ask an administrator to reset your second factors.'
            : 'This account’s second factor cannot be used here. Ask an administrator to reset your second factors.'}
        </p>
      )}
      <p className="switch stack-small">
        {others.map((m) => (
          <button key={m} type="button" className="link" onClick={() => switchTo(m)}>
            {METHOD_SWITCH[m]}
          </button>
        ))}
        {!(method === 'webauthn' && passkeySpent) && (
          <button type="button" className="link" onClick={() => onRestart(null)}>
            Back to the password step
          </button>
        )}
      </p>
    </>
  );
}

function CodeStep({ challenge, method, inputRef, onRestart }: { challenge: SecondFactorChallenge; method: CodeMethod; inputRef: RefObject<HTMLInputElement | null>; onRestart: (notice: string | null) => void }) {
  const { completeSignIn } = useAuth();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const typed = String(new FormData(e.currentTarget).get('code') ?? '').trim();
    const code = method === 'totp' ? cleanTotpCode(typed) : typed;
    if (!code) {
      // Caught here: a typo should not count towards the lockout.
      setError(new Error(method === 'totp' ? 'Enter the 6 digits your authenticator app shows.' : 'Enter one of your recovery codes.'));
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await completeSignIn(challenge.challenge, method, { code });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'challenge_invalid') {
        onRestart(friendlyError(err));
        return;
      }
      setError(err);
      if (inputRef.current) {
        inputRef.current.value = '';
        inputRef.current.focus();
      }
    } finally {
      setBusy(false);
    }
  };
  const fieldMsg = codeError(error, method);
  return (
    <form onSubmit={submit} aria-busy={busy} data-testid="second-factor">
      <p className="muted">{method === 'totp' ? 'Open your authenticator app and enter the code it shows for AuthNode.' : 'Lost your phone or passkey? Enter one of the recovery codes you saved when you set up two-factor sign-in.'}</p>
      <OneTimeCodeField method={method} error={fieldMsg} inputRef={inputRef} autoFocus />
      <ErrorNote error={fieldMsg ? null : error} />
      <button className="btn primary wide" type="submit" disabled={busy}>
        {busy ? 'Please wait…' : 'Verify'}
      </button>
    </form>
  );
}

function PasskeyStep({
  challenge,
  buttonRef,
  spent,
  onSpent,
  onRestart,
  canSwitch,
}: {
  challenge: SecondFactorChallenge;
  buttonRef: RefObject<HTMLButtonElement | null>;
  spent: boolean;
  onSpent: () => void;
  onRestart: (notice: string | null) => void;
  canSwitch: boolean;
}) {
  const { completeSignIn } = useAuth();
  const [busy, setBusy] = useState(false);
  /** A calm note (cancelled) or an error, with where it came from. */
  const [problem, setProblem] = useState<{ calm: boolean; message: string; code?: string } | null>(null);

  const focusLater = useFocusLater();
  /** The button was disabled while waiting, which took the focus away: give it back (or to "Start again"). */
  const refocus = () => focusLater(buttonRef);

  const use = async () => {
    setBusy(true);
    setProblem(null);
    let credential: Record<string, unknown>;
    try {
      credential = await getAssertion(challenge.webauthn);
    } catch (err) {
      // Nothing reached the server: the same passkey request can be tried again.
      const p = passkeyProblem(err, { rpId: rpIdOf(challenge.webauthn), pageHost: location.hostname });
      if (p.kind !== 'aborted') setProblem({ calm: p.kind === 'cancelled', message: p.message });
      setBusy(false);
      refocus();
      return;
    }
    try {
      await completeSignIn(challenge.challenge, 'webauthn', { credential });
    } catch (err) {
      if (err instanceof ApiError && (err.code === 'challenge_invalid' || err.code === 'ceremony_invalid')) {
        onRestart(err.code === 'ceremony_invalid' ? 'The passkey request was already used or ran out: please enter your password again.' : friendlyError(err));
        return;
      }
      // The server has seen the answer: its passkey request is used up (network failures aside).
      if (err instanceof ApiError && err.status !== 0) onSpent();
      setProblem({
        calm: false,
        code: err instanceof ApiError ? err.code : undefined,
        message:
          err instanceof ApiError && err.code === 'second_factor_invalid'
            ? 'That passkey could not be verified: it may not be registered for this account.'
            : friendlyError(err),
      });
    } finally {
      setBusy(false);
    }
    refocus(); // a refusal: to "Start again" (after a success the page is gone; a restart returned above)
  };

  return (
    <div data-testid="second-factor-passkey">
      {!spent && <p className="muted">Use your passkey: your browser asks you to unlock it with your fingerprint, face, screen lock or security key.</p>}
      {problem &&
        (problem.calm ? (
          <p className="notice" role="status" data-testid="passkey-note">
            {problem.message} You can try again{canSwitch ? ' or use another way below' : ''}.
          </p>
        ) : (
          <p className="error-note" role="alert" data-code={problem.code}>
            {problem.message}
          </p>
        ))}
      {spent && (
        <p className="muted">
          A passkey request works only once. To try your passkey again, start again from your password{canSwitch ? ', or use one of the other ways below' : ''}.
        </p>
      )}
      {spent ? (
        <button ref={buttonRef} type="button" className="btn primary wide" onClick={() => onRestart(null)}>
          Start again
        </button>
      ) : (
        <button ref={buttonRef} type="button" className="btn primary wide" onClick={use} disabled={busy} autoFocus>
          {busy ? 'Waiting for your passkey…' : 'Use your passkey'}
        </button>
      )}
    </div>
  );
}
