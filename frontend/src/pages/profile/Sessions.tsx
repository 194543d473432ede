// Profile: one's live sessions, each of which can be signed out.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { me, queryKeys } from '../../api';
import { ErrorNote, Spinner, useToast } from '../../components/ui';
import { formatWhen } from '../../lib/format';

/** A readable browser name from a user-agent string. */
export function browserName(ua: string | null): string {
  if (!ua) return 'Unknown client';
  const m = /(Firefox|Edg|OPR|Chrome|Chromium|Safari)\/([\d.]+)/.exec(ua);
  const os = /(Windows|Android|iPhone|iPad|Mac OS X|Linux)/.exec(ua)?.[1]?.replace('Mac OS X', 'macOS');
  const name = m ? ({ Edg: 'Edge', OPR: 'Opera' } as Record<string, string>)[m[1]] ?? m[1] : ua.split(' ')[0];
  return os ? `${name} on ${os}` : name;
}

export function Sessions() {
  const qc = useQueryClient();
  const toast = useToast();
  const sessions = useQuery({ queryKey: queryKeys.sessions, queryFn: () => me.sessions() });
  const revoke = useMutation({
    mutationFn: (id: string) => me.revokeSession(id),
    onSuccess: () => {
      toast('Session signed out');
      qc.invalidateQueries({ queryKey: queryKeys.sessions });
    },
  });
  const others = useMutation({
    mutationFn: () => me.revokeOtherSessions(),
    onSuccess: () => {
      toast('Every other session was signed out');
      qc.invalidateQueries({ queryKey: queryKeys.sessions });
    },
  });
  return (
    <div className="card panel">
      <div className="row spread">
        <h2>Sessions</h2>
        <button type="button" className="btn" onClick={() => others.mutate()} disabled={others.isPending || (sessions.data?.length ?? 0) < 2}>
          Sign out all other sessions
        </button>
      </div>
      {sessions.isPending && <Spinner />}
      <ErrorNote error={sessions.error ?? revoke.error ?? others.error} />
      <ul className="rows" aria-label="Your sessions">
        {sessions.data?.map((s) => (
          <li key={s.id} className="row spread" data-testid="session" data-current={s.current}>
            <div>
              <strong>{browserName(s.user_agent)}</strong> {s.current && <span className="pill">this session</span>}
              <div className="muted small">
                {s.ip ?? 'unknown address'} · signed in {formatWhen(s.started_at)} · last active {formatWhen(s.refreshed_at ?? s.started_at)}
              </div>
            </div>
            {!s.current && (
              <button type="button" className="btn" onClick={() => revoke.mutate(s.id)} aria-label={`Sign out ${browserName(s.user_agent)} from ${s.ip ?? 'unknown address'}`}>
                Sign out
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
