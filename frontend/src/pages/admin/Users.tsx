// Admin: users — search, create, disable/enable, unlock, role, reset password, revoke sessions,
// reset second factors, delete.
import { useDeferredValue, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { admin, friendlyError, queryKeys, type CreateUserBody, type Role, type SecondFactorSummary, type User, type UserAction } from '../../api';
import { useAuth } from '../../auth';
import { Confirm, Dialog, ErrorNote, Field, fieldError, Spinner, useToast } from '../../components/ui';
import { formatWhen } from '../../lib/format';

/** A user's second factors in a few words ("app, 8 recovery codes"), or null when there is none. */
export function describeFactors(f: SecondFactorSummary): string | null {
  const parts: string[] = [];
  if (f.totp) parts.push('authenticator app');
  if (f.passkeys > 0) parts.push(`${f.passkeys} passkey${f.passkeys === 1 ? '' : 's'}`);
  if (parts.length === 0 && f.recovery_codes_left === 0) return null;
  parts.push(`${f.recovery_codes_left} recovery code${f.recovery_codes_left === 1 ? '' : 's'} left`);
  return parts.join(', ');
}

/** Whether a lock is still in force at `nowMs`. */
export function isLocked(u: Pick<User, 'locked_until'>, nowMs: number = Date.now()): boolean {
  return !!u.locked_until && Date.parse(u.locked_until) > nowMs;
}

export function AdminUsers() {
  const [q, setQ] = useState('');
  const query = useDeferredValue(q);
  const [creating, setCreating] = useState(false);
  const users = useQuery({ queryKey: queryKeys.users.list(query), queryFn: () => admin.users(query), placeholderData: (prev) => prev });
  return (
    <section>
      <div className="page-head">
        <h1 tabIndex={-1}>Users</h1>
        <button type="button" className="btn primary" onClick={() => setCreating(true)}>
          + New user
        </button>
      </div>
      <div className="filters" role="search">
        <label className="visually-hidden" htmlFor="user-search">
          Search users
        </label>
        <input id="user-search" type="search" placeholder="Search email, username or name…" value={q} onChange={(e) => setQ(e.target.value)} />
      </div>
      {users.isPending && <Spinner />}
      <ErrorNote error={users.error} />
      <ul className="rows card" aria-label="Users">
        {users.data?.map((u) => (
          <UserRow key={u.id} user={u} />
        ))}
        {users.isSuccess && users.data.length === 0 && <li className="empty">No user matches.</li>}
      </ul>
      <CreateUser open={creating} onClose={() => setCreating(false)} />
    </section>
  );
}

function UserRow({ user: u }: { user: User }) {
  const { user: me } = useAuth();
  const qc = useQueryClient();
  const toast = useToast();
  const [dialog, setDialog] = useState<null | 'delete' | 'reset' | 'factors'>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: queryKeys.users.all });
  const act = useMutation({
    mutationFn: ({ action }: { action: UserAction; done: string }) => admin.userAction(u.id, action),
    onSuccess: (_r, v) => {
      toast(v.done);
      refresh();
    },
    onError: (e) => toast(friendlyError(e)),
  });
  const role = useMutation({
    mutationFn: (r: Role) => admin.updateUser(u.id, { role: r }),
    onSuccess: () => {
      toast('Role changed');
      refresh();
    },
    onError: (e) => {
      toast(friendlyError(e));
      refresh();
    },
  });
  const del = useMutation({
    mutationFn: () => admin.deleteUser(u.id),
    onSuccess: () => {
      setDialog(null);
      toast(`${u.username} deleted`);
      refresh();
    },
  });
  const resetFactors = useMutation({
    mutationFn: () => admin.resetSecondFactors(u.id),
    onSuccess: () => {
      setDialog(null);
      toast(`Second factors of ${u.username} removed; their sessions ended`);
      refresh();
    },
  });
  const self = me?.id === u.id;
  const locked = isLocked(u);
  const factors = describeFactors(u.second_factors);
  return (
    <li className="row spread user-row" data-testid="user-row" data-username={u.username}>
      <div className="grow">
        <strong>{u.display_name || u.username}</strong> <span className="muted">@{u.username}</span> {self && <span className="pill">you</span>}
        {u.disabled && <span className="pill warn">disabled</span>}
        {locked && <span className="pill warn">locked</span>}
        <div className="muted small">
          {u.email} · last sign-in {formatWhen(u.last_login_at)}
        </div>
        <div className="muted small" data-testid="user-factors">
          Two-factor: {factors ?? 'none'}
        </div>
      </div>
      <div className="row wrap">
        <label className="visually-hidden" htmlFor={`role-${u.id}`}>
          Role of {u.username}
        </label>
        <select id={`role-${u.id}`} value={u.role} onChange={(e) => role.mutate(e.target.value as Role)} disabled={role.isPending}>
          <option value="user">user</option>
          <option value="auditor">auditor</option>
          <option value="admin">admin</option>
        </select>
        {u.disabled ? (
          <button type="button" className="btn small" onClick={() => act.mutate({ action: 'enable', done: `${u.username} enabled` })}>
            Enable
          </button>
        ) : (
          <button type="button" className="btn small" disabled={self} onClick={() => act.mutate({ action: 'disable', done: `${u.username} disabled; their sessions ended` })}>
            Disable
          </button>
        )}
        {locked && (
          <button type="button" className="btn small" onClick={() => act.mutate({ action: 'unlock', done: `${u.username} unlocked` })}>
            Unlock
          </button>
        )}
        <button type="button" className="btn small" onClick={() => act.mutate({ action: 'revoke-sessions', done: `Every session of ${u.username} ended` })}>
          Sign out everywhere
        </button>
        <button type="button" className="btn small" onClick={() => setDialog('reset')}>
          Reset password
        </button>
        {factors && (
          <button type="button" className="btn small" onClick={() => setDialog('factors')}>
            Reset second factors
          </button>
        )}
        <button type="button" className="btn small danger" disabled={self} onClick={() => setDialog('delete')}>
          Delete
        </button>
      </div>
      <Confirm
        open={dialog === 'delete'}
        title={`Delete ${u.username}?`}
        body={
          <p>
            Their vault secrets are destroyed with their data key (crypto-shredding) and cannot be recovered. The audit log keeps the history. This cannot be undone.
          </p>
        }
        confirmLabel="Delete user"
        danger
        busy={del.isPending}
        error={del.error}
        onConfirm={() => del.mutate()}
        onClose={() => setDialog(null)}
      />
      <Confirm
        open={dialog === 'factors'}
        title={`Reset the second factors of ${u.username}?`}
        body={
          <>
            <p>
              This removes their authenticator app, recovery codes and passkeys, and signs them out everywhere: do it when they lost their phone, after checking who is asking.
              They can then sign in with their password alone and set up a new factor.
            </p>
            {self && <p className="notice">This is your own account: you will be signed out too.</p>}
          </>
        }
        confirmLabel="Reset second factors"
        danger
        busy={resetFactors.isPending}
        error={resetFactors.error}
        onConfirm={() => resetFactors.mutate()}
        onClose={() => {
          setDialog(null);
          resetFactors.reset();
        }}
      />
      <ResetPassword user={u} open={dialog === 'reset'} onClose={() => setDialog(null)} />
    </li>
  );
}

function ResetPassword({ user, open, onClose }: { user: User; open: boolean; onClose: () => void }) {
  const toast = useToast();
  const reset = useMutation({
    mutationFn: (password: string) => admin.resetPassword(user.id, { password }),
    onSuccess: () => {
      toast(`Password of ${user.username} reset; their sessions ended`);
      onClose();
    },
  });
  return (
    <Dialog open={open} title={`New password for ${user.username}`} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          reset.mutate(String(new FormData(e.currentTarget).get('password')));
        }}
      >
        <Field label="New password" error={fieldError(reset.error, 'password')} hint="Give it to the user over a safe channel.">
          {(p) => <input {...p} name="password" type="password" autoComplete="new-password" required />}
        </Field>
        <ErrorNote error={fieldError(reset.error, 'password') ? null : reset.error} />
        <div className="actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" disabled={reset.isPending}>
            Reset password
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function CreateUser({ open, onClose }: { open: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const create = useMutation({
    mutationFn: (body: CreateUserBody) => admin.createUser(body),
    onSuccess: (created) => {
      toast(`${created.username} created`);
      qc.invalidateQueries({ queryKey: queryKeys.users.all });
      onClose();
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const body: Partial<Record<keyof CreateUserBody, string>> = {};
    for (const k of ['email', 'username', 'display_name', 'password', 'role'] as const) {
      const v = String(f.get(k) ?? '').trim();
      if (v) body[k] = k === 'password' ? String(f.get(k)) : v;
    }
    // A required field left blank is left out, for the server to name; the role select offers only roles.
    create.mutate(body as CreateUserBody);
  };
  const err = create.error;
  return (
    <Dialog open={open} title="New user" onClose={onClose}>
      <form onSubmit={submit}>
        <Field label="Email" error={fieldError(err, 'email')}>
          {(p) => <input {...p} name="email" type="email" required />}
        </Field>
        <Field label="Username" error={fieldError(err, 'username')}>
          {(p) => <input {...p} name="username" required />}
        </Field>
        <Field label="Display name (optional)" error={fieldError(err, 'display_name')}>
          {(p) => <input {...p} name="display_name" />}
        </Field>
        <Field label="Password" error={fieldError(err, 'password')}>
          {(p) => <input {...p} name="password" type="password" autoComplete="new-password" required />}
        </Field>
        <Field label="Role">
          {(p) => (
            <select {...p} name="role" defaultValue="user">
              <option value="user">user</option>
              <option value="auditor">auditor</option>
              <option value="admin">admin</option>
            </select>
          )}
        </Field>
        <ErrorNote error={err && !['email', 'username', 'display_name', 'password'].some((k) => fieldError(err, k)) ? err : null} />
        <div className="actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" disabled={create.isPending}>
            Create user
          </button>
        </div>
      </form>
    </Dialog>
  );
}
