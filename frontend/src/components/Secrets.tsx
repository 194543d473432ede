// Showing secrets: a QR code image from the server, text with a copy button, and the field a
// one-time code (or a recovery code) is typed into.
import type { RefObject } from 'react';
import { useAuth } from '../auth';
import { copyWithAutoClear } from '../lib/clipboard';
import type { CodeMethod } from '../lib/factors';
import { Field } from './ui';
import { useToast } from './ui';

/** A PNG QR code the server drew (base64), shown at its own pixel size so phones read it well. */
export function QrImage({ base64, alt }: { base64: string; alt: string }) {
  return <img className="qr" src={`data:image/png;base64,${base64}`} alt={alt} data-testid="qr" />;
}

/** Copies a secret, cleared from the clipboard after the user's delay like copied codes. */
export function useCopySecret() {
  const { user } = useAuth();
  const toast = useToast();
  const clearSeconds = user?.preferences.clipboard_clear_seconds ?? 0;
  return async (text: string, what: string) => {
    try {
      await copyWithAutoClear(text, clearSeconds);
      toast(clearSeconds > 0 ? `${what} copied; the clipboard clears in ${clearSeconds} s` : `${what} copied`);
    } catch {
      toast('Copying was refused by the browser: select the text instead.');
    }
  };
}

/** Secrets as label/value pairs, each value with its own copy button. */
export function CopyList({ items }: { items: { label: string; value: string; shown?: string; testId?: string }[] }) {
  const copy = useCopySecret();
  return (
    <dl className="copy-list">
      {items.map(({ label, value, shown, testId }) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>
            <code className="secret-text" data-testid={testId}>
              {shown ?? value}
            </code>
            <button type="button" className="btn small" aria-label={`Copy ${label.toLowerCase()}`} onClick={() => copy(value, label)}>
              Copy
            </button>
          </dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The field for a code from the authenticator app (numeric keypad and one-time-code autofill on
 * phones) or for a recovery code.
 */
export function OneTimeCodeField({ method, error, inputRef, autoFocus }: { method: CodeMethod; error?: string; inputRef?: RefObject<HTMLInputElement | null>; autoFocus?: boolean }) {
  return method === 'totp' ? (
    <Field label="6-digit code" error={error} hint="The code your authenticator app shows for AuthNode now.">
      {(p) => <input {...p} ref={inputRef} key="totp" className="otp-input" name="code" autoComplete="one-time-code" inputMode="numeric" enterKeyHint="done" required autoFocus={autoFocus} />}
    </Field>
  ) : (
    <Field label="Recovery code" error={error} hint="One of the recovery codes you saved, such as abcd-efgh-ijkl-mnop. Each works once.">
      {(p) => <input {...p} ref={inputRef} key="recovery" className="otp-input" name="code" autoComplete="off" autoCapitalize="none" spellCheck={false} required autoFocus={autoFocus} />}
    </Field>
  );
}
