// The profile: account details, password, sessions, preferences and one's own activity.
import { useState, type FormEvent } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { me, queryKeys, type ChangePasswordBody, type PatchMeBody, type Preferences } from '../api';
import { useAuth } from '../auth';
import { ErrorNote, Field, fieldError, Spinner, useToast } from '../components/ui';
import { formatWhen } from '../lib/format';
import { describeEvent } from '../lib/events';

export function Profile() {
  return (
    <section>
      <div className="page-head">
        <h1 tabIndex={-1}>Profile</h1>
      </div>
      <nav className="subnav" aria-label="Profile sections">
        <NavLink to="/profile" end>
          Account
        </NavLink>
        <NavLink to="/profile/sessions">Sessions</NavLink>
        <NavLink to="/profile/preferences">Preferences</NavLink>
        <NavLink to="/profile/activity">Activity</NavLink>
      </nav>
      <Routes>
        <Route index element={<Account />} />
        <Route path="sessions" element={<Sessions />} />
        <Route path="preferences" element={<PreferencesForm />} />
        <Route path="activity" element={<Activity />} />
      </Routes>
    </section>
  );
}

function Account() {
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
        <Field label="Email" error={fieldError(save.error, 'email')}>
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
      {/* Two-factor sign-in and passkeys for the AuthNode account itself plug in here (SPEC §6). */}
    </div>
  );
}

function PasswordForm() {
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

/** A readable browser name from a user-agent string. */
export function browserName(ua: string | null): string {
  if (!ua) return 'Unknown client';
  const m = /(Firefox|Edg|OPR|Chrome|Chromium|Safari)\/([\d.]+)/.exec(ua);
  const os = /(Windows|Android|iPhone|iPad|Mac OS X|Linux)/.exec(ua)?.[1]?.replace('Mac OS X', 'macOS');
  const name = m ? ({ Edg: 'Edge', OPR: 'Opera' } as Record<string, string>)[m[1]] ?? m[1] : ua.split(' ')[0];
  return os ? `${name} on ${os}` : name;
}

function Sessions() {
  const qc = useQueryClient();
  const toast = useToast();
  const sessions = useQuery({ queryKey: queryKeys.sessions, queryFn: () => me.sessions() });
  const revoke = useMutation({
    mutationFn: (id: string) => me.revokeSession(id),
    onSuccess: () => {
      toast('Session signed out');
      qc.invalidateQueries({ queryKey: queryKeys.sessions });
    },
  });
  const others = useMutation({
    mutationFn: () => me.revokeOtherSessions(),
    onSuccess: () => {
      toast('Every other session was signed out');
      qc.invalidateQueries({ queryKey: queryKeys.sessions });
    },
  });
  return (
    <div className="card panel">
      <div className="row spread">
        <h2>Sessions</h2>
        <button type="button" className="btn" onClick={() => others.mutate()} disabled={others.isPending || (sessions.data?.length ?? 0) < 2}>
          Sign out all other sessions
        </button>
      </div>
      {sessions.isPending && <Spinner />}
      <ErrorNote error={sessions.error ?? revoke.error ?? others.error} />
      <ul className="rows" aria-label="Your sessions">
        {sessions.data?.map((s) => (
          <li key={s.id} className="row spread" data-testid="session" data-current={s.current}>
            <div>
              <strong>{browserName(s.user_agent)}</strong> {s.current && <span className="pill">this session</span>}
              <div className="muted small">
                {s.ip ?? 'unknown address'} · signed in {formatWhen(s.started_at)} · last active {formatWhen(s.refreshed_at ?? s.started_at)}
              </div>
            </div>
            {!s.current && (
              <button type="button" className="btn" onClick={() => revoke.mutate(s.id)} aria-label={`Sign out ${browserName(s.user_agent)} from ${s.ip ?? 'unknown address'}`}>
                Sign out
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function PreferencesForm() {
  const { user, setUser } = useAuth();
  const toast = useToast();
  const save = useMutation({
    mutationFn: (preferences: Preferences) => me.update({ preferences }),
    onSuccess: (u) => {
      setUser(u);
      toast('Preferences saved');
    },
  });
  const p = user!.preferences;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    save.mutate({
      theme: String(f.get('theme')),
      code_format: String(f.get('code_format')),
      auto_lock_minutes: Number(f.get('auto_lock_minutes')),
      clipboard_clear_seconds: Number(f.get('clipboard_clear_seconds')),
    });
  };
  return (
    <form className="card panel" onSubmit={submit}>
      <h2>Preferences</h2>
      <fieldset className="radios">
        <legend>Theme</legend>
        {(['auto', 'light', 'dark'] as const).map((t) => (
          <label key={t} className="check">
            <input type="radio" name="theme" value={t} defaultChecked={p.theme === t} /> {t === 'auto' ? 'Follow the system' : t === 'light' ? 'Light' : 'Dark'}
          </label>
        ))}
      </fieldset>
      <Field label="Code format" error={fieldError(save.error, 'code_format')}>
        {(x) => (
          <select {...x} name="code_format" defaultValue={p.code_format}>
            <option value="halves">123 456</option>
            <option value="pairs">12 34 56</option>
            <option value="none">123456</option>
          </select>
        )}
      </Field>
      <Field label="Lock after idle (minutes, 0 = never)" error={fieldError(save.error, 'auto_lock_minutes')}>
        {(x) => <input {...x} name="auto_lock_minutes" type="number" min={0} max={1440} defaultValue={p.auto_lock_minutes} />}
      </Field>
      <Field label="Clear copied codes after (seconds, 0 = never)" error={fieldError(save.error, 'clipboard_clear_seconds')}>
        {(x) => <input {...x} name="clipboard_clear_seconds" type="number" min={0} max={600} defaultValue={p.clipboard_clear_seconds} />}
      </Field>
      <ErrorNote error={save.error && !['code_format', 'auto_lock_minutes', 'clipboard_clear_seconds', 'theme'].some((k) => fieldError(save.error, k)) ? save.error : null} />
      <div className="actions">
        <button className="btn primary" disabled={save.isPending}>
          Save preferences
        </button>
      </div>
    </form>
  );
}

function Activity() {
  const q = useInfiniteQuery({
    queryKey: queryKeys.activity,
    queryFn: ({ pageParam }) => me.activity(pageParam || undefined),
    initialPageParam: 0,
    getNextPageParam: (last) => last.next_before ?? undefined,
  });
  const entries = q.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <div className="card panel">
      <h2>Your activity</h2>
      {q.isPending && <Spinner />}
      <ErrorNote error={q.error} />
      {q.isSuccess && entries.length === 0 && <p className="empty">No activity yet.</p>}
      <ul className="rows" aria-label="Your activity">
        {entries.map((e) => (
          <li key={e.position} className="row spread">
            <div>
              <strong>{describeEvent(e.event_type)}</strong> {e.outcome !== 'success' && <span className="pill warn">{e.outcome}</span>}
              <div className="muted small">
                {new Date(e.recorded_at).toLocaleString()} · {e.ip ?? '—'}
              </div>
            </div>
          </li>
        ))}
      </ul>
      {q.hasNextPage && (
        <button type="button" className="btn" onClick={() => q.fetchNextPage()} disabled={q.isFetchingNextPage}>
          Load more
        </button>
      )}
    </div>
  );
}
