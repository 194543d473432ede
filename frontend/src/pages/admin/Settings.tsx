// Admin: every server policy, validated by the server (its field errors show under each input).
import { type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { admin, queryKeys, type PatchSettingsBody, type Settings } from '../../api';
import { useAuth } from '../../auth';
import { ErrorNote, Field, fieldError, Spinner, useToast } from '../../components/ui';

/** Reads a whole-number input; NaN for empty so the server can name the field. */
const num = (f: FormData, k: string) => {
  const v = String(f.get(k) ?? '').trim();
  return v === '' ? Number.NaN : Number(v);
};

/** The PATCH body for the policies the form shows: each policy is sent whole, as the API wants. */
export function settingsBody(f: FormData): PatchSettingsBody {
  return {
    signup: {
      // The selects offer only the API's values.
      mode: String(f.get('signup.mode')) as Settings['signup']['mode'],
      allowed_domains: String(f.get('signup.allowed_domains') ?? '')
        .split(/[,\s]+/)
        .map((d) => d.trim().toLowerCase())
        .filter(Boolean),
    },
    password: { min_length: num(f, 'password.min_length'), max_length: num(f, 'password.max_length'), breach_check: f.get('password.breach_check') === 'on' },
    lockout: { max_failures: num(f, 'lockout.max_failures'), window_minutes: num(f, 'lockout.window_minutes'), lock_minutes: num(f, 'lockout.lock_minutes') },
    session: {
      access_ttl_seconds: num(f, 'session.access_ttl_seconds'),
      refresh_ttl_seconds: num(f, 'session.refresh_ttl_seconds'),
      idle_timeout_seconds: num(f, 'session.idle_timeout_seconds'),
    },
    two_factor: { scope: String(f.get('two_factor.scope')) as Settings['two_factor']['scope'], grace_days: num(f, 'two_factor.grace_days') },
  };
}

/** Keeps only the policies that differ from the current settings: one event per real change. */
export function changedOnly<T extends Record<string, unknown>>(body: T, current: Record<string, unknown>): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(body) as (keyof T & string)[]) if (JSON.stringify(body[k]) !== JSON.stringify(current[k])) out[k] = body[k];
  return out;
}

export function AdminSettings() {
  const qc = useQueryClient();
  const toast = useToast();
  const { reloadConfig } = useAuth();
  const settings = useQuery({ queryKey: queryKeys.settings, queryFn: () => admin.settings() });
  const save = useMutation({
    mutationFn: (body: PatchSettingsBody) => admin.updateSettings(body),
    onSuccess: (saved) => {
      qc.setQueryData(queryKeys.settings, saved);
      reloadConfig().catch(() => undefined);
      toast('Settings saved');
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const body = changedOnly(settingsBody(new FormData(e.currentTarget)), settings.data!);
    if (Object.keys(body).length === 0) toast('Nothing changed');
    else save.mutate(body);
  };
  const s = settings.data;
  const err = save.error;
  const fe = (k: string) => fieldError(err, k);
  return (
    <section>
      <div className="page-head">
        <h1 tabIndex={-1}>Settings</h1>
      </div>
      {settings.isPending && <Spinner />}
      <ErrorNote error={settings.error} />
      {s && (
        <form onSubmit={submit} className="stack" key={JSON.stringify(s)}>
          <fieldset className="card panel">
            <legend>Sign-up</legend>
            <Field label="Who may create an account" error={fe('signup') ?? fe('mode')}>
              {(p) => (
                <select {...p} name="signup.mode" defaultValue={s.signup.mode}>
                  <option value="closed">Nobody (admins create accounts)</option>
                  <option value="open">Anyone</option>
                  <option value="invite">By invitation</option>
                </select>
              )}
            </Field>
            <Field label="Allowed email domains (empty = any)" error={fe('allowed_domains')} hint="e.g. example.com, example.org">
              {(p) => <input {...p} name="signup.allowed_domains" defaultValue={s.signup.allowed_domains.join(', ')} />}
            </Field>
          </fieldset>
          <fieldset className="card panel">
            <legend>Passwords</legend>
            <div className="grid2">
              <Field label="Minimum length" error={fe('min_length')} hint="8 or more (NIST SP 800-63B)">
                {(p) => <input {...p} name="password.min_length" type="number" defaultValue={s.password.min_length} />}
              </Field>
              <Field label="Maximum length" error={fe('max_length')}>
                {(p) => <input {...p} name="password.max_length" type="number" defaultValue={s.password.max_length} />}
              </Field>
            </div>
            <label className="check">
              <input type="checkbox" name="password.breach_check" defaultChecked={s.password.breach_check} /> Refuse passwords known from breaches
            </label>
          </fieldset>
          <fieldset className="card panel">
            <legend>Lockout</legend>
            <div className="grid3">
              <Field label="Failed sign-ins before lock" error={fe('max_failures')}>
                {(p) => <input {...p} name="lockout.max_failures" type="number" defaultValue={s.lockout.max_failures} />}
              </Field>
              <Field label="Counted within (minutes)" error={fe('window_minutes')}>
                {(p) => <input {...p} name="lockout.window_minutes" type="number" defaultValue={s.lockout.window_minutes} />}
              </Field>
              <Field label="Lock lasts (minutes)" error={fe('lock_minutes')}>
                {(p) => <input {...p} name="lockout.lock_minutes" type="number" defaultValue={s.lockout.lock_minutes} />}
              </Field>
            </div>
          </fieldset>
          <fieldset className="card panel">
            <legend>Sessions</legend>
            <div className="grid3">
              <Field label="Access token lifetime (s)" error={fe('access_ttl_seconds')}>
                {(p) => <input {...p} name="session.access_ttl_seconds" type="number" defaultValue={s.session.access_ttl_seconds} />}
              </Field>
              <Field label="Session lifetime (s)" error={fe('refresh_ttl_seconds')}>
                {(p) => <input {...p} name="session.refresh_ttl_seconds" type="number" defaultValue={s.session.refresh_ttl_seconds} />}
              </Field>
              <Field label="Idle timeout (s)" error={fe('idle_timeout_seconds')}>
                {(p) => <input {...p} name="session.idle_timeout_seconds" type="number" defaultValue={s.session.idle_timeout_seconds} />}
              </Field>
            </div>
          </fieldset>
          <fieldset className="card panel">
            <legend>Two-factor sign-in</legend>
            <div className="grid2">
              <Field label="Required for" error={fe('scope')}>
                {(p) => (
                  <select {...p} name="two_factor.scope" defaultValue={s.two_factor.scope}>
                    <option value="off">Nobody</option>
                    <option value="admins">Administrators</option>
                    <option value="everyone">Everyone</option>
                  </select>
                )}
              </Field>
              <Field label="Grace period (days)" error={fe('grace_days')}>
                {(p) => <input {...p} name="two_factor.grace_days" type="number" defaultValue={s.two_factor.grace_days} />}
              </Field>
            </div>
          </fieldset>
          {/* Code-access auditing and audit retention come with their enforcement (issue 13); neither the API nor the console offers them before. */}
          <ErrorNote error={err} />
          <div className="actions sticky">
            <button className="btn primary" disabled={save.isPending}>
              Save settings
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
