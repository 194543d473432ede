// The manual application form (every OTP parameter), shared by "add" and "edit".
import { useState, type FormEvent } from 'react';
import type { Algorithm, Application, OtpType } from '../api';
import { ErrorNote, Field, fieldError } from './ui';

/** The body the form produces (create or update): the application's editable fields, with the
 * optional fields as strings ('' = none) and a secret only when one was typed. */
export type AppFormValues = Pick<Application, 'issuer' | 'label' | 'otp_type' | 'algorithm' | 'digits' | 'period' | 'counter' | 'tags' | 'favorite'> & {
  secret?: string;
  notes: string;
  icon: string;
  color: string;
};

/** Splits "work, mail  banking" into tags, trimmed, without repeats. */
export function parseTags(text: string): string[] {
  const out: string[] = [];
  for (const t of text.split(/[,\s]+/)) {
    const tag = t.trim().replace(/^#/, '');
    if (tag && !out.some((x) => x.toLowerCase() === tag.toLowerCase())) out.push(tag);
  }
  return out;
}

const FIELDS_SHOWN = ['issuer', 'label', 'secret', 'otp_type', 'algorithm', 'digits', 'period', 'counter', 'tags', 'notes', 'icon', 'color'];

export function AppForm({ initial, requireSecret, submitLabel, busy, error, onSubmit }: { initial?: Application; requireSecret: boolean; submitLabel: string; busy: boolean; error: unknown; onSubmit: (v: AppFormValues) => void }) {
  const [otpType, setOtpType] = useState<OtpType>(initial?.otp_type ?? 'totp');
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const s = (k: string) => String(f.get(k) ?? '').trim();
    const secret = s('secret').replace(/\s+/g, '');
    onSubmit({
      issuer: s('issuer'),
      label: s('label'),
      secret: secret || undefined,
      otp_type: otpType,
      algorithm: (s('algorithm') || 'SHA1') as Algorithm,
      digits: otpType === 'steam' ? 5 : Number(s('digits') || 6),
      period: Number(s('period') || 30),
      counter: Number(s('counter') || 0),
      tags: parseTags(s('tags')),
      favorite: f.get('favorite') === 'on',
      notes: s('notes'),
      icon: s('icon'),
      color: s('color') === '#000000' && !initial?.color ? '' : s('color'),
    });
  };
  const generalError = error && !FIELDS_SHOWN.some((k) => fieldError(error, k)) ? error : null;
  return (
    <form onSubmit={submit} className="app-form" aria-busy={busy}>
      <div className="grid2">
        <Field label="Issuer (service)" error={fieldError(error, 'issuer')} hint="e.g. GitHub">
          {(p) => <input {...p} name="issuer" defaultValue={initial?.issuer} maxLength={200} />}
        </Field>
        <Field label="Account" error={fieldError(error, 'label')} hint="e.g. you@example.com">
          {(p) => <input {...p} name="label" defaultValue={initial?.label} maxLength={200} />}
        </Field>
      </div>
      <Field label={requireSecret ? 'Secret key' : 'New secret key (leave empty to keep)'} error={fieldError(error, 'secret')} hint="The base32 setup key the site shows (spaces are ignored).">
        {(p) => <input {...p} name="secret" required={requireSecret} autoComplete="off" spellCheck={false} className="mono" />}
      </Field>
      <div className="grid3">
        <Field label="Type" error={fieldError(error, 'otp_type')}>
          {(p) => (
            <select {...p} name="otp_type" value={otpType} onChange={(e) => setOtpType(e.target.value as OtpType)}>
              <option value="totp">TOTP (time-based)</option>
              <option value="hotp">HOTP (counter-based)</option>
              <option value="steam">Steam Guard</option>
            </select>
          )}
        </Field>
        <Field label="Algorithm" error={fieldError(error, 'algorithm')}>
          {(p) => (
            <select {...p} name="algorithm" defaultValue={initial?.algorithm ?? 'SHA1'} disabled={otpType === 'steam'}>
              <option value="SHA1">SHA-1</option>
              <option value="SHA256">SHA-256</option>
              <option value="SHA512">SHA-512</option>
            </select>
          )}
        </Field>
        <Field label="Digits" error={fieldError(error, 'digits')}>
          {(p) => (
            <select {...p} name="digits" defaultValue={String(initial?.digits ?? 6)} disabled={otpType === 'steam'}>
              <option value="6">6</option>
              <option value="7">7</option>
              <option value="8">8</option>
            </select>
          )}
        </Field>
      </div>
      <div className="grid3">
        {otpType !== 'hotp' ? (
          <Field label="Period (seconds)" error={fieldError(error, 'period')} hint="1–300, usually 30">
            {(p) => <input {...p} name="period" type="number" min={1} max={300} defaultValue={initial?.period ?? 30} />}
          </Field>
        ) : (
          <Field label="Counter" error={fieldError(error, 'counter')} hint="The next counter value the site expects">
            {(p) => <input {...p} name="counter" type="number" min={0} defaultValue={initial?.counter ?? 0} />}
          </Field>
        )}
        <Field label="Colour" error={fieldError(error, 'color')}>
          {(p) => <input {...p} name="color" type="color" defaultValue={initial?.color ?? '#000000'} />}
        </Field>
        <Field label="Icon name" error={fieldError(error, 'icon')} hint="Optional, e.g. github">
          {(p) => <input {...p} name="icon" defaultValue={initial?.icon ?? ''} maxLength={64} pattern="[a-z0-9._\-]*" />}
        </Field>
      </div>
      <Field label="Tags" error={fieldError(error, 'tags')} hint="Separated by commas or spaces">
        {(p) => <input {...p} name="tags" defaultValue={initial?.tags.join(', ')} />}
      </Field>
      <Field label="Notes" error={fieldError(error, 'notes')} hint="Stored encrypted, like the secret">
        {(p) => <textarea {...p} name="notes" rows={2} defaultValue={initial?.notes ?? ''} />}
      </Field>
      <label className="check">
        <input type="checkbox" name="favorite" defaultChecked={initial?.favorite} /> Favourite
      </label>
      <ErrorNote error={generalError} />
      <div className="actions">
        <button className="btn primary" type="submit" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
