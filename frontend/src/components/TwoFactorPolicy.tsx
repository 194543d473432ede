// The two-factor policy, as the whole app shows it: a banner while the grace period runs (and once
// it is over), and a move to Profile → Security whenever the server refuses a call with
// `second_factor_enrolment_required`.
import { useEffect, useRef } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { me, onEnrolmentRequired, queryKeys } from '../api';
import { dayCount, policyDemand } from '../lib/factors';
import type { SecurityState } from '../pages/profile/Security';

export const SECURITY_PATH = '/profile/security';

/** Sends the person to the Security section when the server insists on enrolment. */
export function useEnrolmentRedirect() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  // Read when the server answers, not when the listener was installed.
  const latest = useRef({ navigate, path: location.pathname });
  latest.current = { navigate, path: location.pathname };
  useEffect(
    () =>
      onEnrolmentRequired(() => {
        qc.invalidateQueries({ queryKey: queryKeys.secondFactors });
        const { navigate, path } = latest.current;
        if (path !== SECURITY_PATH) navigate(SECURITY_PATH, { state: { enrolmentRequired: true } satisfies SecurityState });
      }),
    [qc],
  );
}

/** Days left to set up a second factor, on every page but the Security section (which says it itself). */
export function PolicyBanner() {
  const status = useQuery({ queryKey: queryKeys.secondFactors, queryFn: () => me.secondFactors() });
  const { pathname } = useLocation();
  const demand = policyDemand(status.data);
  if (demand.kind === 'none' || pathname === SECURITY_PATH) return null;
  return (
    <p className="notice policy-banner" data-testid="policy-banner">
      {demand.kind === 'grace' ? (
        <>
          Your server will require two-factor sign-in for your account in <strong>{dayCount(demand.days)}</strong>.{' '}
        </>
      ) : (
        <>Your server requires two-factor sign-in for your account. </>
      )}
      <Link to={SECURITY_PATH}>Set it up now</Link>
    </p>
  );
}
