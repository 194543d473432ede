// Profile → Security → Passkeys: the account's passkeys (WebAuthn), to add, rename and remove.
// A passkey signs in alone and is a second factor after the password, so adding one needs a
// recent step-up: the password (or another passkey) is asked before the authenticator is
// touched, never between. Each attempt takes a fresh ceremony (one works once, five minutes).
import { useRef, useState, type FormEvent, type RefObject } from 'react';
import { useMutation } from '@tanstack/react-query';
import { ApiError, friendlyError, me, requestStepUp, type Passkey, type SecondFactorStatus } from '../../api';
import { Confirm, Dialog, ErrorNote, Field, useFocusLater } from '../../components/ui';
import { formatWhen } from '../../lib/format';
import { PASSKEY_NAME_MAX, checkPasskeyName, createCredential, defaultPasskeyNameHere, passkeyProblem, rpIdOf, steppedUpFor, webAuthnSupported } from '../../lib/webauthn';

type DialogState = null | { kind: 'add' } | { kind: 'rename'; passkey: Passkey } | { kind: 'remove'; passkey: Passkey };

export function PasskeysCard({ status, onChanged, onAdded }: { status: SecondFactorStatus; onChanged: () => void; onAdded: (passkey: Passkey) => void }) {
  const supported = webAuthnSupported();
  const [dialog, setDialog] = useState<DialogState>(null);
  const [message, setMessage] = useState<string | null>(null);
  const { passkeys } = status;
  const close = () => setDialog(null);
  const remove = useMutation({
    mutationFn: (id: string) => me.removePasskey(id),
    onSuccess: () => {
      close();
      onChanged();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'passkey_not_found') onChanged();
    },
  });
  const lastFactor = !status.totp_enabled && passkeys.length === 1;
  const removing = dialog?.kind === 'remove' ? dialog.passkey : null;

  return (
    <section className="card panel" aria-labelledby="passkeys-title" data-testid="passkeys">
      <h2 id="passkeys-title">Passkeys</h2>
      <p className="muted">
        A passkey lets you sign in with your fingerprint, face, screen lock or a security key instead of typing a password, and serves as the second factor after your password.
        It only works on this site, so it cannot be phished.
      </p>
      {!supported && (
        <p className="notice" data-testid="passkeys-unsupported">
          This browser cannot create or use passkeys. Open AuthNode in a recent Chrome, Edge, Firefox or Safari to add one{passkeys.length > 0 ? '; you can still rename or remove yours here' : ''}.
        </p>
      )}
      {passkeys.length === 0 ? (
        <p data-testid="passkeys-empty">No passkeys yet.</p>
      ) : (
        <ul className="passkeys" aria-label="Your passkeys">
          {passkeys.map((p) => (
            <li key={p.id} data-testid="passkey-row" data-id={p.id}>
              <div>
                <span className="passkey-name">{p.name}</span>
                <span className="passkey-dates">
                  Added {formatWhen(p.registered_at)} · {p.last_used_at ? `last used ${formatWhen(p.last_used_at)}` : 'not used yet'}
                </span>
              </div>
              <div className="actions">
                <button type="button" className="btn small" aria-label={`Rename ${p.name}`} onClick={() => (setMessage(null), setDialog({ kind: 'rename', passkey: p }))}>
                  Rename
                </button>
                <button type="button" className="btn small danger" aria-label={`Remove ${p.name}`} onClick={() => (setMessage(null), remove.reset(), setDialog({ kind: 'remove', passkey: p }))}>
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}
      {supported && (
        <div className="actions start">
          <button type="button" className="btn primary" onClick={() => (setMessage(null), setDialog({ kind: 'add' }))}>
            Add a passkey
          </button>
        </div>
      )}
      <AddPasskey
        open={dialog?.kind === 'add'}
        steppedUpUntil={status.stepped_up_until}
        onClose={close}
        onAdded={(p) => {
          close();
          onAdded(p);
        }}
      />
      <RenamePasskey
        passkey={dialog?.kind === 'rename' ? dialog.passkey : null}
        onClose={close}
        onRenamed={() => {
          close();
          onChanged();
        }}
        onGone={() => {
          close();
          setMessage('That passkey is no longer registered for your account: the list has been refreshed.');
          onChanged();
        }}
      />
      <Confirm
        open={removing !== null}
        title={removing ? `Remove the passkey “${removing.name}”?` : 'Remove the passkey?'}
        danger
        body={
          <>
            <p>You will no longer be able to sign in with it. It stays on your device or security key until you delete it there too.</p>
            {lastFactor && (
              <p className="notice" data-testid="last-factor-warning">
                <strong>This is your only second factor.</strong> Signing in will then ask for your password only
                {status.recovery_codes_left > 0 ? `, and your ${status.recovery_codes_left} recovery ${status.recovery_codes_left === 1 ? 'code stops' : 'codes stop'} working` : ''}.
                {status.required ? ' Your server requires two-factor sign-in for your account: you will have to set one up again before you can use your vault.' : ''}
              </p>
            )}
            <p className="muted small">You may be asked to confirm it’s you.</p>
          </>
        }
        confirmLabel="Remove passkey"
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() => removing && remove.mutate(removing.id)}
        onClose={() => {
          close();
          remove.reset();
        }}
      />
    </section>
  );
}

function AddPasskey({ open, steppedUpUntil, onClose, onAdded }: { open: boolean; steppedUpUntil: string | null; onClose: () => void; onAdded: (p: Passkey) => void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <Dialog open={open} title="Add a passkey" onClose={onClose} initialFocus={input}>
      <AddPasskeyForm input={input} steppedUpUntil={steppedUpUntil} onClose={onClose} onAdded={onAdded} />
    </Dialog>
  );
}

/** What the person should read about a failed attempt: next to the name, as a calm note, or as an error. */
type AddProblem = { where: 'name' | 'note' | 'error'; message: string; code?: string } | null;

function AddPasskeyForm({ input, steppedUpUntil, onClose, onAdded }: { input: RefObject<HTMLInputElement | null>; steppedUpUntil: string | null; onClose: () => void; onAdded: (p: Passkey) => void }) {
  const [busy, setBusy] = useState<null | 'step-up' | 'authenticator' | 'saving'>(null);
  const [problem, setProblem] = useState<AddProblem>(null);
  // Read once: the dialog is mounted afresh each time it opens.
  const [askFirst] = useState(() => !steppedUpFor(steppedUpUntil));
  const submitButton = useRef<HTMLButtonElement>(null);
  const focusLater = useFocusLater();

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const checked = checkPasskeyName(String(new FormData(e.currentTarget).get('name') ?? ''));
    if ('error' in checked) {
      // Caught here: the server would only say so after the authenticator made the passkey.
      setProblem({ where: 'name', message: checked.error });
      input.current?.focus();
      return;
    }
    setProblem(null);
    let added = false;
    try {
      // The password first, so that nothing interrupts the authenticator's part.
      if (!steppedUpFor(steppedUpUntil)) {
        setBusy('step-up');
        if (!(await requestStepUp())) {
          setProblem({ where: 'error', message: 'Adding a passkey needs you to confirm it’s you first: nothing was changed.' });
          return;
        }
      }
      setBusy('authenticator');
      const { ceremony, options } = await me.passkeyOptions();
      let credential: Record<string, unknown>;
      try {
        credential = await createCredential(options);
      } catch (err) {
        const p = passkeyProblem(err, { creating: true, rpId: rpIdOf(options), pageHost: location.hostname });
        if (p.kind !== 'aborted') setProblem({ where: p.kind === 'cancelled' ? 'note' : 'error', message: p.message });
        return;
      }
      setBusy('saving');
      const passkey = await me.registerPasskey({ ceremony, name: checked.name, credential });
      added = true;
      onAdded(passkey);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_passkey_name') {
        setProblem({ where: 'name', message: friendlyError(err) });
        input.current?.focus();
      } else if (err instanceof ApiError && err.code === 'passkey_invalid') {
        setProblem({
          where: 'error',
          code: err.code,
          message: 'The new passkey could not be verified. AuthNode needs a passkey that checks it’s you (fingerprint, face, screen lock or PIN): try again, or use another authenticator.',
        });
      } else {
        setProblem({ where: 'error', code: err instanceof ApiError ? err.code : undefined, message: friendlyError(err) });
      }
    } finally {
      setBusy(null);
      // The button was disabled while waiting, which took the focus away: give it back (unless
      // the name field has it for its error).
      if (!added && document.activeElement !== input.current) focusLater(submitButton);
    }
  };

  return (
    <form onSubmit={submit} aria-busy={busy !== null} data-testid="add-passkey">
      <p>
        Your browser will ask where to keep the new passkey (this device, your phone or a security key) and to confirm with your fingerprint, face, screen lock or PIN.
      </p>
      <Field label="Name" error={problem?.where === 'name' ? problem.message : undefined} hint={`So you can tell your passkeys apart, such as “Work laptop” or “Security key”. At most ${PASSKEY_NAME_MAX} characters.`}>
        {(p) => <input {...p} ref={input} name="name" defaultValue={defaultPasskeyNameHere()} autoComplete="off" required />}
      </Field>
      {askFirst && <p className="muted small">You will be asked to confirm it’s you first.</p>}
      {problem?.where === 'note' && (
        <p className="notice" role="status" data-testid="passkey-note">
          {problem.message}
        </p>
      )}
      {problem?.where === 'error' && (
        <p className="error-note" role="alert" data-code={problem.code}>
          {problem.message}
        </p>
      )}
      <div className="actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button ref={submitButton} className="btn primary" disabled={busy !== null}>
          {busy === 'authenticator' ? 'Waiting for your passkey…' : busy === 'saving' ? 'Saving…' : busy === 'step-up' ? 'Confirming…' : 'Create passkey'}
        </button>
      </div>
    </form>
  );
}

function RenamePasskey({ passkey, onClose, onRenamed, onGone }: { passkey: Passkey | null; onClose: () => void; onRenamed: () => void; onGone: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <Dialog open={passkey !== null} title="Rename the passkey" onClose={onClose} initialFocus={input}>
      {passkey && <RenameForm key={passkey.id} passkey={passkey} input={input} onClose={onClose} onRenamed={onRenamed} onGone={onGone} />}
    </Dialog>
  );
}

function RenameForm({ passkey, input, onClose, onRenamed, onGone }: { passkey: Passkey; input: RefObject<HTMLInputElement | null>; onClose: () => void; onRenamed: () => void; onGone: () => void }) {
  const [typo, setTypo] = useState<string | undefined>();
  const rename = useMutation({
    mutationFn: (name: string) => me.renamePasskey(passkey.id, name),
    onSuccess: onRenamed,
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'passkey_not_found') onGone();
      else input.current?.focus();
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const checked = checkPasskeyName(String(new FormData(e.currentTarget).get('name') ?? ''));
    if ('error' in checked) {
      setTypo(checked.error);
      input.current?.focus();
      return;
    }
    setTypo(undefined);
    rename.mutate(checked.name);
  };
  const err = rename.error;
  const fieldMsg = typo ?? (err instanceof ApiError && err.code === 'invalid_passkey_name' ? friendlyError(err) : undefined);
  return (
    <form onSubmit={submit} aria-busy={rename.isPending} data-testid="rename-passkey">
      <Field label="Name" error={fieldMsg} hint={`At most ${PASSKEY_NAME_MAX} characters.`}>
        {(p) => <input {...p} ref={input} name="name" defaultValue={passkey.name} autoComplete="off" required />}
      </Field>
      <ErrorNote error={fieldMsg ? null : err} />
      <div className="actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button className="btn primary" disabled={rename.isPending}>
          Save
        </button>
      </div>
    </form>
  );
}
