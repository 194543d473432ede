// Adding from a pasted otpauth:// link, previewed as it is typed.
import { useState } from 'react';
import { ErrorNote, Field, fieldError } from '../../components/ui';
import { OtpAuthError, parseOtpAuth, type OtpAuthInfo } from '../../lib/otpauth';
import { ExtraFields, type Extra } from './ExtraFields';
import { Preview } from './Preview';

export function LinkTab({ busy, error, onAdd }: { busy: boolean; error: unknown; onAdd: (uri: string, extra: Extra) => void }) {
  const [uri, setUri] = useState('');
  const [extra, setExtra] = useState<Extra>({});
  let info: OtpAuthInfo | null = null;
  let problem: string | null = null;
  if (uri.trim()) {
    try {
      info = parseOtpAuth(uri);
    } catch (e) {
      problem = e instanceof OtpAuthError ? e.message : String(e);
    }
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (info) onAdd(uri.trim(), extra);
      }}
    >
      <Field label="otpauth:// link" error={problem ?? fieldError(error, 'uri') ?? fieldError(error, 'secret')} hint="Sites show it as “can't scan? use this link”, or inside their QR code.">
        {(p) => <textarea {...p} rows={3} value={uri} onChange={(e) => setUri(e.target.value)} spellCheck={false} className="mono" placeholder="otpauth://totp/Example:alice@example.com?secret=…&issuer=Example" />}
      </Field>
      {info && <Preview info={info} />}
      <ExtraFields value={extra} onChange={setExtra} />
      <ErrorNote error={fieldError(error, 'uri') || fieldError(error, 'secret') ? null : error} />
      <div className="actions">
        <button type="submit" className="btn primary" disabled={!info || busy}>
          Add account
        </button>
      </div>
    </form>
  );
}
