// Profile: the account's name, email and username, and the password form below them. A new email
// needs a recent step-up: the API client opens the password dialog when the server asks.
import { type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { me, type PatchMeBody } from '../../api';
import { useAuth } from '../../auth';
import { ErrorNote, Field, fieldError, useToast } from '../../components/ui';
import { formatWhen } from '../../lib/format';
import { PasswordForm } from './PasswordForm';

export function Account() {
  const { user, setUser } = useAuth();
  const toast = useToast();
  const save = useMutation({
    mutationFn: (body: PatchMeBody) => me.update(body),
    onSuccess: (u) => {
      setUser(u);
      toast('Profile saved');
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const body: PatchMeBody = {};
    for (const k of ['display_name', 'email', 'username'] as const) {
      const v = String(f.get(k) ?? '').trim();
      if (v !== user![k]) body[k] = v;
    }
    if (Object.keys(body).length) save.mutate(body);
  };
  return (
    <div className="stack">
      <form className="card panel" onSubmit={submit}>
        <h2>Account</h2>
        <Field label="Display name" error={fieldError(save.error, 'display_name')}>
          {(p) => <input {...p} name="display_name" defaultValue={user!.display_name} autoComplete="name" />}
        </Field>
        <Field label="Email" error={fieldError(save.error, 'email')} hint="Changing it asks for your password.">
          {(p) => <input {...p} name="email" type="email" defaultValue={user!.email} autoComplete="email" />}
        </Field>
        <Field label="Username" error={fieldError(save.error, 'username')}>
          {(p) => <input {...p} name="username" defaultValue={user!.username} autoComplete="username" />}
        </Field>
        <p className="muted small">
          Role: <strong>{user!.role}</strong> · member since {formatWhen(user!.created_at)}
        </p>
        <ErrorNote error={save.error && !['display_name', 'email', 'username'].some((k) => fieldError(save.error, k)) ? save.error : null} />
        <div className="actions">
          <button className="btn primary" disabled={save.isPending}>
            Save
          </button>
        </div>
      </form>
      <PasswordForm />
    </div>
  );
}
