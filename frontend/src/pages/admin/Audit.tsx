// Audit log (admins and auditors): filters, infinite scroll by global position, and a detail
// drawer with the event's metadata and its payload as the server redacted it.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { admin, audit, queryKeys, type AuditEntry, type AuditFilters } from '../../api';
import { useAuth } from '../../auth';
import { Dialog, ErrorNote, Spinner } from '../../components/ui';
import { describeEvent, KNOWN_EVENT_TYPES } from '../../lib/events';

/** A `datetime-local` value (local time) as RFC 3339 UTC, or undefined. */
export function localToRfc3339(v: string): string | undefined {
  if (!v) return undefined;
  const t = new Date(v);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}

export function AdminAudit() {
  const { user } = useAuth();
  const [filters, setFilters] = useState<AuditFilters>({});
  const [open, setOpen] = useState<AuditEntry | null>(null);
  const users = useQuery({
    queryKey: queryKeys.users.list(''),
    queryFn: () => admin.users(''),
    enabled: user!.role === 'admin',
  });
  const names = useMemo(() => new Map((users.data ?? []).map((u) => [u.id, u.username])), [users.data]);
  const q = useInfiniteQuery({
    queryKey: queryKeys.audit(filters),
    queryFn: ({ pageParam }) => audit.page(filters, pageParam || undefined),
    initialPageParam: 0,
    getNextPageParam: (last) => last.next_before ?? undefined,
  });
  const entries = q.data?.pages.flatMap((p) => p.entries) ?? [];

  // Infinite scroll: load the next page when the sentinel below the list comes into view.
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !('IntersectionObserver' in window)) return;
    const io = new IntersectionObserver((es) => {
      if (es.some((e) => e.isIntersecting) && q.hasNextPage && !q.isFetchingNextPage) q.fetchNextPage();
    });
    io.observe(el);
    return () => io.disconnect();
  }, [q]);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const s = (k: string) => String(f.get(k) ?? '').trim() || undefined;
    let actor = s('actor');
    // Admins may type a username: the API filters by id.
    if (actor && users.data) actor = users.data.find((u) => u.username === actor || u.email === actor)?.id ?? actor;
    const outcome = s('outcome');
    setFilters({
      actor,
      subject: s('subject'),
      event_type: s('event_type'),
      aggregate_type: s('aggregate_type'),
      aggregate_id: s('aggregate_id'),
      outcome: outcome === 'success' || outcome === 'failure' ? outcome : undefined,
      ip: s('ip'),
      from: localToRfc3339(String(f.get('from') ?? '')),
      to: localToRfc3339(String(f.get('to') ?? '')),
    });
  };
  const who = (id: string | null, kind: string) => (id ? (names.get(id) ?? `${id.slice(0, 8)}…`) : kind);

  return (
    <section>
      <div className="page-head">
        <h1 tabIndex={-1}>Audit log</h1>
      </div>
      <form className="card panel audit-filters" onSubmit={submit} aria-label="Audit filters">
        <label>
          Actor <input name="actor" list="audit-actors" placeholder="username or id" />
        </label>
        <datalist id="audit-actors">
          {users.data?.map((u) => (
            <option key={u.id} value={u.username} />
          ))}
        </datalist>
        <label>
          Event type <input name="event_type" list="audit-types" placeholder="e.g. LoginFailed" />
        </label>
        <datalist id="audit-types">
          {KNOWN_EVENT_TYPES.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <label>
          Aggregate
          <select name="aggregate_type" defaultValue="">
            <option value="">any</option>
            <option value="user">User</option>
            <option value="application">Application</option>
            <option value="settings">Settings</option>
            <option value="login_attempt">Sign-in attempt (unknown account)</option>
          </select>
        </label>
        <label>
          Aggregate id <input name="aggregate_id" />
        </label>
        <label>
          Outcome
          <select name="outcome" defaultValue="">
            <option value="">any</option>
            <option value="success">success</option>
            <option value="failure">failure</option>
          </select>
        </label>
        <label>
          IP <input name="ip" />
        </label>
        <label>
          From <input name="from" type="datetime-local" />
        </label>
        <label>
          To <input name="to" type="datetime-local" />
        </label>
        <div className="actions">
          <button type="reset" className="btn" onClick={() => setFilters({})}>
            Clear
          </button>
          <button className="btn primary">Apply filters</button>
        </div>
      </form>
      <ErrorNote error={q.error} />
      {q.isPending && <Spinner label="Loading the audit log" />}
      {q.isSuccess && entries.length === 0 && <p className="empty">No entry matches these filters.</p>}
      {entries.length > 0 && (
        <div className="table-wrap card">
          <table className="audit-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Time</th>
                <th scope="col">Event</th>
                <th scope="col">Actor</th>
                <th scope="col">Aggregate</th>
                <th scope="col">IP</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.position} data-testid="audit-row" data-event-type={e.event_type} className={e.outcome === 'failure' ? 'failure' : undefined}>
                  <td className="mono">{e.position}</td>
                  <td>{new Date(e.recorded_at).toLocaleString()}</td>
                  <td>
                    <button type="button" className="link" onClick={() => setOpen(e)} title={describeEvent(e.event_type)}>
                      {e.event_type}
                    </button>
                    {e.outcome === 'failure' && <span className="pill warn">failure</span>}
                  </td>
                  <td>{who(e.actor_id, e.actor_kind)}</td>
                  <td>
                    {e.aggregate_type} <span className="muted mono small">{e.aggregate_id.slice(0, 8)}</span>
                  </td>
                  <td className="mono">{e.ip ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div ref={sentinel} aria-hidden="true" />
      {q.hasNextPage && (
        <button type="button" className="btn" onClick={() => q.fetchNextPage()} disabled={q.isFetchingNextPage}>
          {q.isFetchingNextPage ? 'Loading…' : 'Load older entries'}
        </button>
      )}
      <Dialog open={open !== null} title={open ? `${open.event_type} #${open.position}` : ''} onClose={() => setOpen(null)} className="drawer">
        {open && (
          <div data-testid="audit-detail">
            <p>{describeEvent(open.event_type)}</p>
            <dl className="meta">
              <dt>Position</dt>
              <dd className="mono">{open.position}</dd>
              <dt>Recorded</dt>
              <dd>{open.recorded_at}</dd>
              <dt>Outcome</dt>
              <dd>{open.outcome}</dd>
              <dt>Actor</dt>
              <dd>
                {who(open.actor_id, open.actor_kind)} <span className="muted small mono">{open.actor_id}</span> ({open.actor_kind})
              </dd>
              <dt>Subject user</dt>
              <dd className="mono">{open.subject_user_id ?? '—'}</dd>
              <dt>Aggregate</dt>
              <dd>
                {open.aggregate_type} <span className="mono">{open.aggregate_id}</span>
              </dd>
              <dt>IP</dt>
              <dd className="mono">{open.ip ?? '—'}</dd>
              <dt>User agent</dt>
              <dd className="small">{open.user_agent ?? '—'}</dd>
              <dt>Request id</dt>
              <dd className="mono">{open.request_id ?? '—'}</dd>
              <dt>Session</dt>
              <dd className="mono">{open.session_id ?? '—'}</dd>
            </dl>
            <h3 id="audit-payload-title">Payload (secrets redacted)</h3>
            {/* It scrolls when long or wide: focusable so keyboard users can scroll it too. */}
            <pre className="payload" tabIndex={0} role="region" aria-labelledby="audit-payload-title">
              {JSON.stringify(open.payload, null, 2)}
            </pre>
          </div>
        )}
      </Dialog>
    </section>
  );
}
