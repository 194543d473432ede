// The vault: every 2FA account with its live code, search, tag and favourite filters,
// drag-and-drop (or keyboard) reordering, and the trash.
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors, type Announcements, type DragEndEvent, type ScreenReaderInstructions, type UniqueIdentifier } from '@dnd-kit/core';
import { SortableContext, arrayMove, rectSortingStrategy, sortableKeyboardCoordinates, useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { friendlyError, mutationKeys, queryKeys, vault, type Application, type Code } from '../api';
import { useAuth } from '../auth';
import { codeAt, useCodes, useNow } from '../lib/codes';
import { colorFor, formatCode, formatWhen, initials, textColorOn, toCodeFormat, type CodeFormat } from '../lib/format';
import { copyWithAutoClear } from '../lib/clipboard';
import { CountdownRing } from '../components/CountdownRing';
import { Confirm, ErrorNote, Spinner, useToast } from '../components/ui';

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

function EmptyVault() {
  return (
    <div className="empty-state">
      <h2>Your vault is empty</h2>
      <p>Add the two-factor accounts of the sites you use. When a site offers “authenticator app” sign-in, it shows a QR code or a setup key:</p>
      <ol>
        <li>
          <strong>Scan or upload the QR code</strong> — or paste a screenshot of it.
        </li>
        <li>
          <strong>Paste the otpauth:// link</strong> if the site gives one.
        </li>
        <li>
          <strong>Type the setup key</strong> in the manual form.
        </li>
      </ol>
      <Link className="btn primary" to="/add">
        Add your first account
      </Link>
    </div>
  );
}

interface CardProps {
  app: Application;
  code: Code | undefined;
  fetchedAt: number;
  now: number;
  format: CodeFormat;
  clearSeconds: number;
  canReorder: boolean;
  isFirst: boolean;
  isLast: boolean;
  onMove: (delta: number) => void;
  onHotp: () => void;
}

function Badge({ app }: { app: Application }) {
  const bg = app.color || colorFor(app.issuer || app.label);
  return (
    <span className="badge" style={{ background: bg, color: textColorOn(bg) }} aria-hidden="true">
      {initials(app.issuer, app.label)}
    </span>
  );
}

/** Badge, issuer and account name: the head of every card. */
function Names({ app }: { app: Application }) {
  return (
    <>
      <Badge app={app} />
      <div className="app-names">
        <span className="issuer">{app.issuer || '—'}</span>
        <span className="label muted">{app.label}</span>
      </div>
    </>
  );
}

function AppCard({ app, code, fetchedAt, now, format, clearSeconds, canReorder, isFirst, isLast, onMove, onHotp }: CardProps) {
  const qc = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();
  const { attributes, listeners, setNodeRef, transform, transition, isDragging, setActivatorNodeRef } = useSortable({ id: app.id, disabled: !canReorder });
  const [hotpCode, setHotpCode] = useState<string | null>(null);
  const hotp = app.otp_type === 'hotp';
  const shown = hotp ? (hotpCode ?? code?.code ?? null) : code ? codeAt(code, fetchedAt, now) : null;
  const nextShown = hotp ? null : code ? (codeAt(code, fetchedAt, now) === code.code ? code.next_code : null) : null;
  const name = app.issuer || app.label;

  const favorite = useMutation({
    mutationFn: () => vault.update(app.id, { favorite: !app.favorite }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.applications.all }),
    onError: (e) => toast(friendlyError(e)),
  });
  const trash = useMutation({
    mutationFn: () => vault.trash(app.id),
    onSuccess: () => {
      toast(`${name} moved to the trash`);
      qc.invalidateQueries({ queryKey: queryKeys.applications.all });
    },
    onError: (e) => toast(friendlyError(e)),
  });
  const next = useMutation({
    mutationFn: () => vault.hotpNext(app.id),
    onSuccess: (r) => {
      setHotpCode(r.code);
      qc.invalidateQueries({ queryKey: queryKeys.applications.all });
      onHotp();
    },
    onError: (e) => toast(friendlyError(e)),
  });

  const copy = async () => {
    if (!shown) return;
    try {
      await copyWithAutoClear(shown, clearSeconds);
      toast(clearSeconds > 0 ? `Code copied; the clipboard clears in ${clearSeconds} s` : 'Code copied');
    } catch {
      toast('Copying was refused by the browser');
    }
  };
  const onCodeKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      copy();
    }
  };

  return (
    <li ref={setNodeRef} className={`card app-card${isDragging ? ' dragging' : ''}`} style={{ transform: CSS.Transform.toString(transform), transition }} data-testid="app-card" data-app-id={app.id}>
      <div className="app-head">
        <Names app={app} />
        <button type="button" className={`btn ghost icon star${app.favorite ? ' on' : ''}`} aria-pressed={app.favorite} aria-label={app.favorite ? `Unfavourite ${name}` : `Favourite ${name}`} onClick={() => favorite.mutate()}>
          {app.favorite ? '★' : '☆'}
        </button>
        {canReorder && (
          <button type="button" className="btn ghost icon handle" ref={setActivatorNodeRef} {...attributes} {...listeners} aria-label={`Reorder ${name} (space to pick up, arrows to move)`}>
            ⠿
          </button>
        )}
      </div>
      <div className="app-code">
        {/* The name starts with the visible code (WCAG 2.5.3 label in name), then says what a press does. */}
        <button type="button" className="code" onClick={copy} onKeyDown={onCodeKey} aria-label={shown ? `${formatCode(shown, format)}, copy the code for ${name}` : `Code for ${name} loading`} data-testid="code" data-code={shown ?? ''}>
          {shown ? formatCode(shown, format) : '••• •••'}
        </button>
        {hotp ? (
          <button type="button" className="btn small" onClick={() => next.mutate()} disabled={next.isPending}>
            Next code
          </button>
        ) : (
          code && <CountdownRing nowMs={now} period={code.period} />
        )}
      </div>
      <div className="app-foot">
        <span className="muted small" data-testid="next-code">
          {nextShown ? (
            <>
              next <span className="mono">{formatCode(nextShown, format)}</span>
            </>
          ) : hotp ? (
            `counter ${app.counter}`
          ) : (
            '\u00a0'
          )}
        </span>
        <span className="tags">
          {app.tags.map((t) => (
            <span key={t} className="tag">
              #{t}
            </span>
          ))}
        </span>
        <span className="card-actions">
          {canReorder && (
            <>
              <button type="button" className="btn ghost icon small" aria-label={`Move ${name} up`} disabled={isFirst} onClick={() => onMove(-1)}>
                ↑
              </button>
              <button type="button" className="btn ghost icon small" aria-label={`Move ${name} down`} disabled={isLast} onClick={() => onMove(1)}>
                ↓
              </button>
            </>
          )}
          <button type="button" className="btn ghost small" onClick={() => navigate(`/applications/${app.id}/edit`)} aria-label={`Edit ${name}`}>
            Edit
          </button>
          <button type="button" className="btn ghost small" onClick={() => trash.mutate()} aria-label={`Move ${name} to the trash`}>
            Trash
          </button>
        </span>
      </div>
    </li>
  );
}

function TrashCard({ app }: { app: Application }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [confirm, setConfirm] = useState(false);
  const name = app.issuer || app.label;
  const restore = useMutation({
    mutationFn: () => vault.restore(app.id),
    onSuccess: () => {
      toast(`${name} restored`);
      qc.invalidateQueries({ queryKey: queryKeys.applications.all });
    },
    onError: (e) => toast(friendlyError(e)),
  });
  const purge = useMutation({
    mutationFn: () => vault.purge(app.id),
    onSuccess: () => {
      setConfirm(false);
      toast(`${name} deleted for good`);
      qc.invalidateQueries({ queryKey: queryKeys.applications.all });
    },
  });
  return (
    <li className="card app-card trashed" data-testid="app-card" data-app-id={app.id}>
      <div className="app-head">
        <Names app={app} />
      </div>
      <p className="muted small">Trashed {formatWhen(app.trashed_at)}</p>
      <div className="actions">
        <button type="button" className="btn" onClick={() => restore.mutate()} aria-label={`Restore ${name}`}>
          Restore
        </button>
        <button type="button" className="btn danger" onClick={() => setConfirm(true)} aria-label={`Delete for good: ${name}`}>
          Delete for good
        </button>
      </div>
      <Confirm
        open={confirm}
        title={`Delete ${name} for good?`}
        body={<p>The secret is destroyed and cannot be recovered. The audit log keeps the record that it existed.</p>}
        confirmLabel="Delete for good"
        danger
        busy={purge.isPending}
        error={purge.error}
        onConfirm={() => purge.mutate()}
        onClose={() => setConfirm(false)}
      />
    </li>
  );
}
