// The recovery codes, shown once (after the app or the first passkey is set up, or new ones made): download them as a
// text file, print them or copy them, and say they are saved before leaving the screen.
import { useEffect, useRef, useState } from 'react';
import { useAuth } from '../../auth';
import { useCopySecret } from '../../components/Secrets';
import { recoveryCodesFilename, recoveryCodesText } from '../../lib/factors';

/** Offers `text` as a file download, without a server round trip. */
function download(text: string, filename: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Why the codes are shown: the authenticator app was just set up (`totp`), the first passkey was
 * just added (`passkey`), or the person asked for a new set (`renewed`).
 */
export type RecoveryCodesReason = 'totp' | 'passkey' | 'renewed';

const HEADINGS: Record<RecoveryCodesReason, string> = {
  totp: 'Two-factor sign-in is on: save your recovery codes',
  passkey: 'Save your recovery codes',
  renewed: 'Your new recovery codes',
};

export function RecoveryCodesPanel({ codes, onDone, reason }: { codes: string[]; onDone: () => void; reason: RecoveryCodesReason }) {
  const { user } = useAuth();
  const copy = useCopySecret();
  const [saved, setSaved] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const text = () => recoveryCodesText({ codes, account: `${user!.username} (${user!.email})`, server: window.location.origin, created: new Date() });
  return (
    <section className="card panel printable" aria-labelledby="recovery-codes-title">
      <h2 id="recovery-codes-title" ref={heading} tabIndex={-1}>
        {HEADINGS[reason]}
      </h2>
      <p>
        {reason === 'totp'
          ? 'If you lose your phone, each of these codes signs you in once instead of a code from the app.'
          : reason === 'passkey'
            ? 'If you lose your passkey (or the device that holds it), each of these codes signs you in once in its place.'
            : 'If you lose your phone or passkey, each of these codes signs you in once in its place.'}{' '}
        <strong>They are shown only this once</strong>: download, print or copy them now and keep them somewhere safe, such as a password manager.
      </p>
      {reason === 'renewed' && <p className="muted">Your previous recovery codes no longer work.</p>}
      <ol className="recovery-codes" data-testid="recovery-codes" aria-label="Recovery codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <div className="actions start no-print">
        <button type="button" className="btn" onClick={() => download(text(), recoveryCodesFilename(user!.username))}>
          Download (.txt)
        </button>
        <button type="button" className="btn" onClick={() => window.print()}>
          Print
        </button>
        <button type="button" className="btn" onClick={() => copy(codes.join('\n'), 'Recovery codes')}>
          Copy
        </button>
      </div>
      <div className="no-print">
        <label className="check">
          <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} /> I have saved these codes somewhere safe
        </label>
        <div className="actions">
          <button type="button" className="btn primary" disabled={!saved} onClick={onDone}>
            Done
          </button>
        </div>
      </div>
    </section>
  );
}
