// Profile: one's own activity from the audit log, page by page.
import { useInfiniteQuery } from '@tanstack/react-query';
import { me, queryKeys } from '../../api';
import { ErrorNote, Spinner } from '../../components/ui';
import { describeEvent } from '../../lib/events';

export function Activity() {
  const q = useInfiniteQuery({
    queryKey: queryKeys.activity,
    queryFn: ({ pageParam }) => me.activity(pageParam || undefined),
    initialPageParam: 0,
    getNextPageParam: (last) => last.next_before ?? undefined,
  });
  const entries = q.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <div className="card panel">
      <h2>Your activity</h2>
      {q.isPending && <Spinner />}
      <ErrorNote error={q.error} />
      {q.isSuccess && entries.length === 0 && <p className="empty">No activity yet.</p>}
      <ul className="rows" aria-label="Your activity">
        {entries.map((e) => (
          <li key={e.position} className="row spread">
            <div>
              <strong>{describeEvent(e.event_type)}</strong> {e.outcome !== 'success' && <span className="pill warn">{e.outcome}</span>}
              <div className="muted small">
                {new Date(e.recorded_at).toLocaleString()} · {e.ip ?? '—'}
              </div>
            </div>
          </li>
        ))}
      </ul>
      {q.hasNextPage && (
        <button type="button" className="btn" onClick={() => q.fetchNextPage()} disabled={q.isFetchingNextPage}>
          Load more
        </button>
      )}
    </div>
  );
}
