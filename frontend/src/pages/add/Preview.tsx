// What a link will add, before adding it.
import type { OtpAuthInfo } from '../../lib/otpauth';

/** What a link will add, before adding it. */
export function Preview({ info }: { info: OtpAuthInfo }) {
  return (
    <dl className="preview" aria-label="What will be added">
      <dt>Issuer</dt>
      <dd>{info.issuer || '—'}</dd>
      <dt>Account</dt>
      <dd>{info.label || '—'}</dd>
      <dt>Type</dt>
      <dd>
        {info.otp_type.toUpperCase()} · {info.algorithm} · {info.digits} digits · {info.otp_type === 'hotp' ? `counter ${info.counter}` : `${info.period} s`}
      </dd>
    </dl>
  );
}
