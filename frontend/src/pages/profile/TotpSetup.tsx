// Setting up an authenticator app: scan the QR code (or type the key), then prove it works with
// the code the app shows; the server then answers the recovery codes.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { ApiError, friendlyError, me, type TotpEnrolment } from '../../api';
import { CopyList, OneTimeCodeField, QrImage } from '../../components/Secrets';
import { ErrorNote } from '../../components/ui';
import { cleanTotpCode, groupSecret } from '../../lib/factors';

export function TotpSetup({ enrolment, onConfirmed, onCancel }: { enrolment: TotpEnrolment; onConfirmed: (codes: string[]) => void; onCancel: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [typo, setTypo] = useState<string | undefined>();
  useEffect(() => heading.current?.focus(), []);
  const confirm = useMutation({
    mutationFn: (code: string) => me.confirmTotp(code),
    onSuccess: onConfirmed,
    onError: () => {
      if (input.current) {
        input.current.value = '';
        input.current.focus();
      }
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const code = cleanTotpCode(String(new FormData(e.currentTarget).get('code') ?? ''));
    if (!code) {
      setTypo('Enter the 6 digits the app shows.');
      input.current?.focus();
      return;
    }
    setTypo(undefined);
    confirm.mutate(code);
  };
  const err = confirm.error;
  const fieldMsg = typo ?? (err instanceof ApiError && err.field === 'code' ? friendlyError(err) : undefined);
  return (
    <section className="card panel" aria-labelledby="totp-setup-title">
      <h2 id="totp-setup-title" ref={heading} tabIndex={-1}>
        Set up an authenticator app
      </h2>
      <ol className="steps">
        <li>
          <p>
            <strong>Scan this QR code</strong> with an authenticator app on your phone (for example Aegis, FreeOTP, Google Authenticator, Microsoft Authenticator or a password
            manager).
          </p>
          <QrImage base64={enrolment.qr_png_base64} alt="QR code to scan with your authenticator app" />
          <p className="muted small">Cannot scan it? Type this key into the app instead (time-based, 6 digits, 30 seconds):</p>
          <CopyList items={[{ label: 'Setup key', value: enrolment.secret, shown: groupSecret(enrolment.secret), testId: 'totp-secret' }]} />
        </li>
        <li>
          <p>
            <strong>Enter the code</strong> the app now shows for AuthNode, to check that it works.
          </p>
          <form onSubmit={submit} aria-busy={confirm.isPending}>
            <OneTimeCodeField method="totp" error={fieldMsg} inputRef={input} />
            <ErrorNote error={fieldMsg ? null : err} />
            <div className="actions">
              <button type="button" className="btn" onClick={onCancel}>
                Cancel
              </button>
              <button className="btn primary" disabled={confirm.isPending}>
                Turn on two-factor sign-in
              </button>
            </div>
          </form>
        </li>
      </ol>
    </section>
  );
}
