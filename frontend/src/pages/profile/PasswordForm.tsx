// Profile: changing one's password (which signs out the other sessions).
import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { me, type ChangePasswordBody } from '../../api';
import { useAuth } from '../../auth';
import { ErrorNote, Field, fieldError, useToast } from '../../components/ui';

export function PasswordForm() {
  const { config } = useAuth();
  const toast = useToast();
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation({
    mutationFn: (body: ChangePasswordBody) => me.changePassword(body),
    onSuccess: () => toast('Password changed; your other sessions were signed out'),
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const next = String(f.get('new_password'));
    if (next !== String(f.get('new_password2'))) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    change.mutate({ current_password: String(f.get('current_password')), new_password: next }, { onSuccess: () => form.reset() });
  };
  return (
    <form className="card panel" onSubmit={submit}>
      <h2>Change password</h2>
      <Field label="Current password" error={fieldError(change.error, 'current_password')}>
        {(p) => <input {...p} name="current_password" type="password" autoComplete="current-password" required />}
      </Field>
      <Field label="New password" error={fieldError(change.error, 'new_password')} hint={`At least ${config?.password_min_length ?? 10} characters.`}>
        {(p) => <input {...p} name="new_password" type="password" autoComplete="new-password" required />}
      </Field>
      <Field label="Repeat the new password" error={mismatch ? 'The two passwords differ.' : undefined}>
        {(p) => <input {...p} name="new_password2" type="password" autoComplete="new-password" required />}
      </Field>
      <p className="muted small">Changing the password signs out your other sessions.</p>
      <ErrorNote error={change.error && !fieldError(change.error, 'current_password') && !fieldError(change.error, 'new_password') ? change.error : null} />
      <div className="actions">
        <button className="btn primary" disabled={change.isPending}>
          Change password
        </button>
      </div>
    </form>
  );
}
