// Profile: theme, code format, auto-lock and clipboard clearing.
import { type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { me, type Preferences } from '../../api';
import { useAuth } from '../../auth';
import { ErrorNote, Field, fieldError, useToast } from '../../components/ui';

export function PreferencesForm() {
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
    // The radios and options below offer only the values the API lists; the server checks them too.
    save.mutate({
      theme: String(f.get('theme')) as Preferences['theme'],
      code_format: String(f.get('code_format')) as Preferences['code_format'],
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
