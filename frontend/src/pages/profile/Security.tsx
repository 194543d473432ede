// Profile → Security: the second factors of the AuthNode account itself. Set up or remove the
// authenticator app, see and renew the recovery codes, and what the server's two-factor policy
// asks of the account (the shell sends people here when the server insists).
import { useState } from 'react';
import { useLocation } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { me, queryKeys, type TotpEnrolment } from '../../api';
import { useAuth } from '../../auth';
import { Confirm, ErrorNote, Spinner, useToast } from '../../components/ui';
import { dayCount, hasSecondFactor, policyDemand } from '../../lib/factors';
import { RecoveryCodesPanel } from './RecoveryCodes';
import { RemoveTotp } from './RemoveTotp';
import { TotpSetup } from './TotpSetup';

type View = { kind: 'status' } | { kind: 'setup'; enrolment: TotpEnrolment } | { kind: 'codes'; codes: string[]; fresh: boolean };

/** What the shell passes when it sends someone here because the server refused them. */
export interface SecurityState {
  enrolmentRequired?: boolean;
}

export function Security() {
  const qc = useQueryClient();
  const toast = useToast();
  const { setUser } = useAuth();
  const redirected = (useLocation().state as SecurityState | null)?.enrolmentRequired ?? false;
  const status = useQuery({ queryKey: queryKeys.secondFactors, queryFn: () => me.secondFactors() });
  const [view, setView] = useState<View>({ kind: 'status' });
  const [dialog, setDialog] = useState<null | 'remove' | 'regenerate'>(null);

  /** After any change: the status here and the banner, and the user's factor summary. */
  const changed = () => {
    qc.invalidateQueries({ queryKey: queryKeys.secondFactors });
    me.get()
      .then(setUser)
      .catch(() => undefined);
  };
  const start = useMutation({ mutationFn: () => me.startTotp(), onSuccess: (enrolment) => setView({ kind: 'setup', enrolment }) });
  const regenerate = useMutation({
    mutationFn: () => me.regenerateRecoveryCodes(),
    onSuccess: (codes) => {
      setDialog(null);
      changed();
      setView({ kind: 'codes', codes, fresh: false });
    },
  });

  if (view.kind === 'setup') {
    return (
      <TotpSetup
        enrolment={view.enrolment}
        onCancel={() => setView({ kind: 'status' })}
        onConfirmed={(codes) => {
          changed();
          setView({ kind: 'codes', codes, fresh: true });
        }}
      />
    );
  }
  if (view.kind === 'codes') {
    return (
      <RecoveryCodesPanel
        codes={view.codes}
        fresh={view.fresh}
        onDone={() => {
          setView({ kind: 'status' });
          toast(view.fresh ? 'Two-factor sign-in is on' : 'New recovery codes saved');
        }}
      />
    );
  }

  const s = status.data;
  const demand = policyDemand(s);
  const protectedNow = s ? hasSecondFactor(s) : false;
  const left = s?.recovery_codes_left ?? 0;
  return (
    <div className="stack">
      {status.isPending && <Spinner />}
      <ErrorNote error={status.error} />
      {demand.kind === 'due' && (
        <p className="notice" role={redirected ? 'alert' : undefined} data-testid="enrolment-required">
          <strong>Two-factor sign-in is required.</strong> Your server asks every account like yours for a second factor: set up an authenticator app below to continue using
          AuthNode.
        </p>
      )}
      {demand.kind === 'grace' && (
        <p className="notice" data-testid="enrolment-grace">
          Your server will require two-factor sign-in for your account in {dayCount(demand.days)} (from {new Date(demand.by).toLocaleDateString()}). Set it up now to keep access.
        </p>
      )}
      {s && (
        <>
          <section className="card panel" aria-labelledby="totp-title">
            <h2 id="totp-title">Authenticator app</h2>
            <p className="muted">Two-factor sign-in protects your AuthNode account: besides your password, signing in asks for a code from an app on your phone.</p>
            <p className="status-line" data-testid="totp-status" data-enabled={s.totp_enabled}>
              {s.totp_enabled ? (
                <>
                  <span className="pill ok">On</span> Signing in asks for a code from your authenticator app.
                </>
              ) : (
                <>
                  <span className="pill">Off</span> Signing in asks for your password only.
                </>
              )}
            </p>
            {s.required && protectedNow && <p className="muted small">Your server requires two-factor sign-in for your account.</p>}
            <ErrorNote error={start.error} />
            <div className="actions start">
              {s.totp_enabled ? (
                <button type="button" className="btn danger" onClick={() => setDialog('remove')}>
                  Remove the authenticator app
                </button>
              ) : (
                <button type="button" className="btn primary" onClick={() => start.mutate()} disabled={start.isPending}>
                  Set up an authenticator app
                </button>
              )}
            </div>
          </section>
          {protectedNow && (
            <section className="card panel" aria-labelledby="recovery-title">
              <h2 id="recovery-title">Recovery codes</h2>
              <p data-testid="recovery-left" data-left={left}>
                <strong>
                  {left} {left === 1 ? 'code' : 'codes'} left.
                </strong>{' '}
                Each signs you in once when you cannot use your authenticator app.
              </p>
              {left <= 3 && <p className="notice">{left === 0 ? 'You have no recovery codes left' : 'You are running out of recovery codes'}: get a new set and keep it safe.</p>}
              <div className="actions start">
                <button type="button" className="btn" onClick={() => setDialog('regenerate')}>
                  Get new recovery codes
                </button>
              </div>
            </section>
          )}
          {/* Passkeys (WebAuthn) get their own card here once the server offers them. */}
          {s.passkeys.length > 0 && (
            <section className="card panel" aria-labelledby="passkeys-title">
              <h2 id="passkeys-title">Passkeys</h2>
              <p>
                {s.passkeys.length} {s.passkeys.length === 1 ? 'passkey is' : 'passkeys are'} registered for this account.
              </p>
            </section>
          )}
          <RemoveTotp
            open={dialog === 'remove'}
            required={s.required}
            recoveryLeft={left}
            onClose={() => setDialog(null)}
            onRemoved={() => {
              setDialog(null);
              changed();
              toast('Authenticator app removed');
            }}
          />
          <Confirm
            open={dialog === 'regenerate'}
            title="Get new recovery codes?"
            body={<p>You get a new set of codes, shown once. Your current recovery codes stop working at once. You may be asked for your password.</p>}
            confirmLabel="Get new codes"
            busy={regenerate.isPending}
            error={regenerate.error}
            onConfirm={() => regenerate.mutate()}
            onClose={() => {
              setDialog(null);
              regenerate.reset();
            }}
          />
        </>
      )}
    </div>
  );
}
