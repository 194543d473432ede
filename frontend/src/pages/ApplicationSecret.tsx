// "Move to another device": an application's QR code, secret and otpauth:// link, after a step-up
// (the server records each reveal in the audit log). Kept in this component's state only, never in
// the query cache: leaving the page forgets it.
import { useState } from 'react';
import { vault, type Application, type SecretView } from '../api';
import { CopyList, QrImage } from '../components/Secrets';
import { ErrorNote } from '../components/ui';
import { groupSecret } from '../lib/factors';

export function ApplicationSecret({ app }: { app: Application }) {
  const [shown, setShown] = useState<SecretView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const name = [app.issuer, app.label].filter(Boolean).join(' — ') || 'this account';
  const reveal = async () => {
    setBusy(true);
    setError(null);
    try {
      setShown(await vault.secret(app.id));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card panel spaced" aria-labelledby="secret-title" data-testid="app-secret">
      <h2 id="secret-title">Move to another device</h2>
      {shown ? (
        <>
          {shown.qr_png_base64 ? (
            <>
              <p>Scan the QR code with the other device&rsquo;s authenticator app, or copy the key or the link into it.</p>
              <QrImage base64={shown.qr_png_base64} alt={`QR code of ${name}`} />
            </>
          ) : (
            <p data-testid="app-secret-no-qr">The issuer and account name are too long for a QR code: copy the key or the link into the other device&rsquo;s authenticator app.</p>
          )}
          <CopyList
            items={[
              { label: 'Secret key', value: shown.secret, shown: groupSecret(shown.secret), testId: 'app-secret-key' },
              { label: 'otpauth:// link', value: shown.otpauth_uri, testId: 'app-secret-uri' },
            ]}
          />
          <div className="actions start">
            <button type="button" className="btn" onClick={() => setShown(null)}>
              Hide
            </button>
          </div>
        </>
      ) : (
        <>
          <p className="muted">
            Shows the QR code and secret key of {name}, to set it up in another authenticator app. You will be asked for your password, and showing them is recorded in the
            audit log.
          </p>
          <ErrorNote error={error} />
          <div className="actions start">
            <button type="button" className="btn" onClick={reveal} disabled={busy}>
              Show QR code and secret
            </button>
          </div>
        </>
      )}
    </section>
  );
}
