// Profile → Security: the second factors of the AuthNode account itself. Set up or remove the
// authenticator app, add, rename and remove passkeys, see and renew the recovery codes, and what
// the server's two-factor policy asks of the account (the shell sends people here when the
// server insists).
import { useEffect, useRef, useState } from 'react';
import { useLocation } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { me, queryKeys, requestStepUp, type Passkey, type TotpEnrolment } from '../../api';
import { useAuth } from '../../auth';
import { Confirm, ErrorNote, Spinner, useToast } from '../../components/ui';
import { dayCount, hasSecondFactor, policyDemand } from '../../lib/factors';
import { steppedUpFor } from '../../lib/webauthn';
import { PasskeysCard } from './Passkeys';
import { RecoveryCodesPanel, type RecoveryCodesReason } from './RecoveryCodes';
import { RemoveTotp } from './RemoveTotp';
import { TotpSetup } from './TotpSetup';

type View =
  | { kind: 'status' }
  | { kind: 'setup'; enrolment: TotpEnrolment }
  | { kind: 'codes'; codes: string[]; reason: RecoveryCodesReason }
  /** The first passkey was just added and the account has no recovery codes: offer them. */
  | { kind: 'offer-codes'; passkey: Passkey };

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
  /** Why setting up or removing the app did not start (the step-up before it was cancelled). */
  const [removeRefused, setRemoveRefused] = useState<string | null>(null);

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
      const first = view.kind === 'offer-codes';
      setDialog(null);
      changed();
      setView({ kind: 'codes', codes, reason: first ? 'passkey' : 'renewed' });
    },
  });

  /**
   * Setting up the app: the server wants a recent proof (a stolen session must not put its own
   * factor on the account), so the password (or a passkey) comes first when there is no live
   * step-up, before the QR code.
   */
  const startSetup = async () => {
    setRemoveRefused(null);
    if (!steppedUpFor(status.data?.stepped_up_until) && !(await requestStepUp())) {
      setRemoveRefused('Setting up an authenticator app needs you to confirm it’s you first: nothing was changed.');
      return;
    }
    start.mutate();
  };

  /** Removing the app: the password (or a passkey) first when there is no live step-up, then the code. */
  const startRemoveTotp = async () => {
    setRemoveRefused(null);
    if (!steppedUpFor(status.data?.stepped_up_until) && !(await requestStepUp())) {
      setRemoveRefused('Removing the app needs you to confirm it’s you first: nothing was changed.');
      return;
    }
    setDialog('remove');
  };

  const passkeyAdded = (passkey: Passkey) => {
    const s = status.data;
    changed();
    // The first factor of an account without recovery codes: offer them now.
    if (s && !s.totp_enabled && s.passkeys.length === 0 && s.recovery_codes_left === 0) setView({ kind: 'offer-codes', passkey });
    else toast(`Passkey “${passkey.name}” added`);
  };

  if (view.kind === 'setup') {
    return (
      <TotpSetup
        enrolment={view.enrolment}
        onCancel={() => setView({ kind: 'status' })}
        onConfirmed={(codes) => {
          changed();
          setView({ kind: 'codes', codes, reason: 'totp' });
        }}
      />
    );
  }
  if (view.kind === 'codes') {
    return (
      <RecoveryCodesPanel
        codes={view.codes}
        reason={view.reason}
        onDone={() => {
          setView({ kind: 'status' });
          toast(view.reason === 'totp' ? 'Two-factor sign-in is on' : view.reason === 'passkey' ? 'Recovery codes saved' : 'New recovery codes saved');
        }}
      />
    );
  }
  if (view.kind === 'offer-codes') {
    return (
      <OfferRecoveryCodes
        passkey={view.passkey}
        busy={regenerate.isPending}
        error={regenerate.error}
        onAccept={() => regenerate.mutate()}
        onSkip={() => {
          regenerate.reset();
          setView({ kind: 'status' });
          toast(`Passkey “${view.passkey.name}” added`);
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
          <strong>Two-factor sign-in is required.</strong> Your server asks every account like yours for a second factor: set up an authenticator app or add a passkey below to
          continue using AuthNode.
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
                  <span className="pill ok">On</span> Signing in asks for a code from your authenticator app{s.passkeys.length > 0 ? ' or one of your passkeys' : ''}.
                </>
              ) : s.passkeys.length > 0 ? (
                <>
                  <span className="pill">Off</span> Signing in asks for one of your passkeys after your password.
                </>
              ) : (
                <>
                  <span className="pill">Off</span> Signing in asks for your password only.
                </>
              )}
            </p>
            {s.required && protectedNow && <p className="muted small">Your server requires two-factor sign-in for your account.</p>}
            <ErrorNote error={start.error} />
            {removeRefused && (
              <p className="error-note" role="alert" data-code="reauthentication_required">
                {removeRefused}
              </p>
            )}
            <div className="actions start">
              {s.totp_enabled ? (
                <button type="button" className="btn danger" onClick={startRemoveTotp}>
                  Remove the authenticator app
                </button>
              ) : (
                <button type="button" className="btn primary" onClick={startSetup} disabled={start.isPending}>
                  Set up an authenticator app
                </button>
              )}
            </div>
          </section>
          <PasskeysCard status={s} onChanged={changed} onAdded={passkeyAdded} />
          {protectedNow && (
            <section className="card panel" aria-labelledby="recovery-title">
              <h2 id="recovery-title">Recovery codes</h2>
              <p data-testid="recovery-left" data-left={left}>
                <strong>
                  {left} {left === 1 ? 'code' : 'codes'} left.
                </strong>{' '}
                Each signs you in once when you cannot use your authenticator app or passkey.
              </p>
              {left <= 3 && <p className="notice">{left === 0 ? 'You have no recovery codes left' : 'You are running out of recovery codes'}: get a new set and keep it safe.</p>}
              <div className="actions start">
                <button type="button" className="btn" onClick={() => setDialog('regenerate')}>
                  Get new recovery codes
                </button>
              </div>
            </section>
          )}
          <RemoveTotp
            open={dialog === 'remove'}
            required={s.required}
            recoveryLeft={left}
            passkeys={s.passkeys.length}
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

/** Right after the first passkey: recovery codes, for when it is lost. */
function OfferRecoveryCodes({ passkey, busy, error, onAccept, onSkip }: { passkey: Passkey; busy: boolean; error: unknown; onAccept: () => void; onSkip: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="card panel" aria-labelledby="offer-codes-title" data-testid="offer-recovery-codes">
      <h2 id="offer-codes-title" ref={heading} tabIndex={-1}>
        Passkey “{passkey.name}” added: get recovery codes
      </h2>
      <p>
        Signing in now asks for your passkey after your password. If you lose it (or the device that holds it), recovery codes let you sign in instead: ten codes, each
        working once, shown only once.
      </p>
      <ErrorNote error={error} />
      <div className="actions start">
        <button type="button" className="btn primary" onClick={onAccept} disabled={busy}>
          Get recovery codes
        </button>
        <button type="button" className="btn" onClick={onSkip}>
          Not now
        </button>
      </div>
    </section>
  );
}
