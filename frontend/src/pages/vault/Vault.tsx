// The vault: every 2FA account with its live code, search, tag and favourite filters,
// drag-and-drop (or keyboard) reordering, and the trash.
import { useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors, type Announcements, type DragEndEvent, type ScreenReaderInstructions, type UniqueIdentifier } from '@dnd-kit/core';
import { SortableContext, arrayMove, rectSortingStrategy, sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { friendlyError, mutationKeys, queryKeys, vault, type Application } from '../../api';
import { useAuth } from '../../auth';
import { useCodes, useNow } from '../../lib/codes';
import { toCodeFormat } from '../../lib/format';
import { ErrorNote, Spinner, useToast } from '../../components/ui';
import { AppCard } from './AppCard';
import { EmptyVault } from './EmptyVault';
import { TrashCard } from './TrashCard';

/** Whether an application matches a search text (issuer, label or tags; case-insensitive). */
export function matches(a: Application, q: string): boolean {
  const n = q.trim().toLowerCase();
  if (!n) return true;
  return `${a.issuer} ${a.label} ${a.tags.join(' ')}`.toLowerCase().includes(n);
}

export function Vault({ trash = false }: { trash?: boolean }) {
  const { user } = useAuth();
  const qc = useQueryClient();
  const toast = useToast();
  const [q, setQ] = useState('');
  const [tag, setTag] = useState<string | null>(null);
  const [favOnly, setFavOnly] = useState(false);
  const apps = useQuery({ queryKey: queryKeys.applications.list(trash), queryFn: () => vault.list(trash ? { trashed: true } : {}) });
  const list = useMemo(() => apps.data ?? [], [apps.data]);
  // Refetch codes when an application is added, removed or its OTP parameters change.
  const version = useMemo(() => list.map((a) => `${a.id}:${a.otp_type}:${a.algorithm}:${a.digits}:${a.period}:${a.counter}`).join(), [list]);
  const { set, error: codesError, refresh } = useCodes(!trash && list.length > 0, version);
  const now = useNow(set?.offsetMs ?? 0);
  const prefs = user!.preferences;

  const tags = useMemo(() => [...new Set(list.flatMap((a) => a.tags))].sort((a, b) => a.localeCompare(b)), [list]);
  const filtered = list.filter((a) => matches(a, q) && (!tag || a.tags.some((t) => t.toLowerCase() === tag.toLowerCase())) && (!favOnly || a.favorite));
  const filteredView = q.trim() !== '' || tag !== null || favOnly;

  // Optimistic reordering: show the new order at once; a refetch already in flight must not
  // bring the old order back, and only the last of several quick moves reloads the list.
  const reorder = useMutation({
    mutationKey: mutationKeys.reorder,
    // One at a time, in order: parallel PUTs could reach the server out of order.
    scope: { id: 'reorder' },
    mutationFn: (ids: string[]) => vault.reorder(ids),
    onError: (e) => toast(friendlyError(e)),
    onSettled: () => {
      if (qc.isMutating({ mutationKey: mutationKeys.reorder }) <= 1) qc.invalidateQueries({ queryKey: queryKeys.applications.list(false) });
    },
  });
  const applyOrder = (next: Application[]) => {
    qc.cancelQueries({ queryKey: queryKeys.applications.list(false) });
    qc.setQueryData(queryKeys.applications.list(false), next);
    reorder.mutate(next.map((a) => a.id));
  };
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const onDragEnd = (e: DragEndEvent) => {
    if (!e.over || e.active.id === e.over.id) return;
    const from = list.findIndex((a) => a.id === e.active.id);
    const to = list.findIndex((a) => a.id === e.over!.id);
    applyOrder(arrayMove(list, from, to));
  };
  // What a screen reader hears while a card is moved with the keyboard: names and positions,
  // not dnd-kit's default internal ids.
  const nameOf = (id: UniqueIdentifier) => {
    const a = list.find((x) => x.id === id);
    return a ? a.issuer || a.label || 'Account' : 'Account';
  };
  const place = (id: UniqueIdentifier) => `position ${filtered.findIndex((a) => a.id === id) + 1} of ${filtered.length}`;
  // A drag starts over its own place: saying so would replace "Picked up" before it is read.
  const justPicked = useRef(false);
  const announcements: Announcements = {
    onDragStart: ({ active }) => {
      justPicked.current = true;
      return `Picked up ${nameOf(active.id)}, in ${place(active.id)}.`;
    },
    onDragOver: ({ active, over }) => {
      const quiet = justPicked.current && over?.id === active.id;
      justPicked.current = false;
      if (quiet) return undefined;
      return over ? `${nameOf(active.id)} is over ${place(over.id)}.` : `${nameOf(active.id)} is not over a position.`;
    },
    onDragEnd: ({ active, over }) => (over ? `${nameOf(active.id)} dropped in ${place(over.id)}.` : `${nameOf(active.id)} dropped where it was.`),
    onDragCancel: ({ active }) => `Moving ${nameOf(active.id)} was cancelled; it stays in ${place(active.id)}.`,
  };
  const instructions: ScreenReaderInstructions = {
    draggable: 'To reorder, press Space or Enter to pick the account up, the arrow keys to move it, Space or Enter to drop it, Escape to cancel.',
  };
  const move = (id: string, delta: number) => {
    const from = list.findIndex((a) => a.id === id);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= list.length) return;
    applyOrder(arrayMove(list, from, to));
  };

  return (
    <section className="vault">
      <div className="page-head">
        <h1 tabIndex={-1}>{trash ? 'Trash' : 'Vault'}</h1>
        <div className="head-actions">
          {trash ? (
            <Link className="btn" to="/">
              Back to vault
            </Link>
          ) : (
            <>
              <Link className="btn" to="/trash">
                Trash
              </Link>
              <Link className="btn primary" to="/add">
                + Add
              </Link>
            </>
          )}
        </div>
      </div>
      {!trash && list.length > 0 && (
        <div className="filters" role="search">
          <label className="visually-hidden" htmlFor="vault-search">
            Search accounts
          </label>
          <input id="vault-search" type="search" placeholder="Search issuer, account or tag…" value={q} onChange={(e) => setQ(e.target.value)} autoComplete="off" />
          <button type="button" className={`chip${favOnly ? ' on' : ''}`} aria-pressed={favOnly} onClick={() => setFavOnly((f) => !f)}>
            ★ Favourites
          </button>
          {tags.map((t) => (
            <button key={t} type="button" className={`chip${tag === t ? ' on' : ''}`} aria-pressed={tag === t} onClick={() => setTag((x) => (x === t ? null : t))}>
              #{t}
            </button>
          ))}
        </div>
      )}
      {apps.isPending && <Spinner label="Loading your accounts" />}
      <ErrorNote error={apps.error} />
      {codesError ? <ErrorNote error={codesError} /> : null}
      {apps.isSuccess && list.length === 0 && (trash ? <p className="empty">The trash is empty.</p> : <EmptyVault />)}
      {apps.isSuccess && list.length > 0 && filtered.length === 0 && <p className="empty">Nothing matches these filters.</p>}
      {trash ? (
        <ul className="cards" aria-label="Accounts in the trash">
          {filtered.map((a) => (
            <TrashCard key={a.id} app={a} />
          ))}
        </ul>
      ) : (
        <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd} accessibility={{ announcements, screenReaderInstructions: instructions }}>
          <SortableContext items={filtered.map((a) => a.id)} strategy={rectSortingStrategy} disabled={filteredView}>
            <ul className="cards" aria-label="Your accounts">
              {filtered.map((a, i) => (
                <AppCard
                  key={a.id}
                  app={a}
                  code={set?.byId.get(a.id)}
                  fetchedAt={set?.serverTimeMs ?? 0}
                  now={now}
                  format={toCodeFormat(prefs.code_format)}
                  clearSeconds={prefs.clipboard_clear_seconds}
                  canReorder={!filteredView}
                  onMove={(d) => move(a.id, d)}
                  isFirst={i === 0}
                  isLast={i === filtered.length - 1}
                  onHotp={refresh}
                />
              ))}
            </ul>
          </SortableContext>
        </DndContext>
      )}
      {!trash && filteredView && list.length > 1 && <p className="hint">Clear the search and filters to reorder.</p>}
    </section>
  );
}
