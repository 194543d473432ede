// One account of the vault: its live code (a press copies it), favourite, reordering, edit and trash.
import { useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { friendlyError, queryKeys, vault, type Application, type Code } from '../../api';
import { codeAt } from '../../lib/codes';
import { formatCode, type CodeFormat } from '../../lib/format';
import { copyWithAutoClear } from '../../lib/clipboard';
import { CountdownRing } from '../../components/CountdownRing';
import { useToast } from '../../components/ui';
import { Names } from './Names';

export interface CardProps {
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

export function AppCard({ app, code, fetchedAt, now, format, clearSeconds, canReorder, isFirst, isLast, onMove, onHotp }: CardProps) {
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
