// Removing the authenticator app: a code from it (or a recovery code, if the phone is lost), after
// the password again (Security asks for it before opening this dialog when the session has no
// live step-up; the step-up dialog still opens if the server asks for it meanwhile). A wrong
// code is `400 invalid_code` with the field (`code` or `recovery_code`) it was given in.
import { useRef, useState, type FormEvent, type RefObject } from 'react';
import { useMutation } from '@tanstack/react-query';
import { ApiError, me, type DisableTotpBody } from '../../api';
import { OneTimeCodeField } from '../../components/Secrets';
import { Dialog, ErrorNote } from '../../components/ui';
import { cleanTotpCode, type CodeMethod } from '../../lib/factors';

interface Props {
  open: boolean;
  onClose: () => void;
  onRemoved: () => void;
  required: boolean;
  recoveryLeft: number;
  /** How many passkeys stay: with one, the account keeps a second factor (and its recovery codes). */
  passkeys: number;
}

export function RemoveTotp({ open, ...props }: Props) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <Dialog open={open} title="Remove the authenticator app" onClose={props.onClose} initialFocus={input}>
      <RemoveForm input={input} {...props} />
    </Dialog>
  );
}

function RemoveForm({ input, onClose, onRemoved, required, recoveryLeft, passkeys }: Omit<Props, 'open'> & { input: RefObject<HTMLInputElement | null> }) {
  const [method, setMethod] = useState<CodeMethod>('totp');
  const [typo, setTypo] = useState<string | undefined>();
  const remove = useMutation({
    mutationFn: (body: DisableTotpBody) => me.disableTotp(body),
    onSuccess: onRemoved,
    onError: () => input.current?.select(),
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const typed = String(new FormData(e.currentTarget).get('code') ?? '').trim();
    const code = method === 'totp' ? cleanTotpCode(typed) : typed;
    if (!code) {
      setTypo(method === 'totp' ? 'Enter the 6 digits the app shows.' : 'Enter one of your recovery codes.');
      input.current?.focus();
      return;
    }
    setTypo(undefined);
    remove.mutate(method === 'totp' ? { code } : { recovery_code: code });
  };
  const switchTo = (m: CodeMethod) => {
    setMethod(m);
    setTypo(undefined);
    remove.reset();
    requestAnimationFrame(() => input.current?.focus());
  };
  const err = remove.error;
  const refused = err instanceof ApiError && err.code === 'invalid_code';
  const fieldMsg =
    typo ?? (refused ? (err.field === 'recovery_code' ? 'That recovery code is wrong or was used already.' : 'That code is wrong or was used already: wait for the next one.') : undefined);
  return (
    <form onSubmit={submit} aria-busy={remove.isPending}>
      {passkeys > 0 ? (
        <p>Signing in will then ask for one of your passkeys after your password; your recovery codes keep working.</p>
      ) : (
        <p>Signing in will then ask for your password only{recoveryLeft > 0 ? ', and your recovery codes stop working' : ''}.</p>
      )}
      {required && passkeys === 0 && (
        <p className="notice">Your server requires two-factor sign-in for your account: after removing the app you will have to set one up again before you can use your vault.</p>
      )}
      <p className="muted small">To confirm, enter {method === 'totp' ? 'a code from the app' : 'a recovery code'}.</p>
      <OneTimeCodeField method={method} error={fieldMsg} inputRef={input} />
      {method === 'totp' ? (
        recoveryLeft > 0 && (
          <p className="small">
            <button type="button" className="link" onClick={() => switchTo('recovery')}>
              Lost the phone? Use a recovery code instead
            </button>
          </p>
        )
      ) : (
        <p className="small">
          <button type="button" className="link" onClick={() => switchTo('totp')}>
            Use a code from the app instead
          </button>
        </p>
      )}
      <ErrorNote error={fieldMsg ? null : err} />
      <div className="actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button className="btn danger" disabled={remove.isPending}>
          Remove the app
        </button>
      </div>
    </form>
  );
}
