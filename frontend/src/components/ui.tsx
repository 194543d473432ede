// Small shared building blocks: spinner, error note, labelled field, dialog, toast.
import { createContext, useCallback, useContext, useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { ApiError, friendlyError } from '../api';

/**
 * Focuses an element after the next render: a control disabled while something ran (a passkey
 * dialog) lost the focus (HTML's focus fix-up), and can take it back only once that render has
 * enabled it again. Returns `focusLater(ref)`.
 */
export function useFocusLater() {
  const [target, setTarget] = useState<{ ref: RefObject<HTMLElement | null> } | null>(null);
  useEffect(() => {
    target?.ref.current?.focus();
  }, [target]);
  return useCallback((ref: RefObject<HTMLElement | null>) => setTarget({ ref }), []);
}

/** An accessible loading indicator. */
export function Spinner({ label = 'Loading' }: { label?: string }) {
  return (
    <span className="spinner" role="status" aria-live="polite">
      <span className="visually-hidden">{label}…</span>
    </span>
  );
}

/** Shows an error for people (API code → friendly text); nothing when `error` is empty. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error-note" role="alert" data-code={error instanceof ApiError ? error.code : undefined}>
      {friendlyError(error)}
    </p>
  );
}

/** The message for one form field when the API blamed that field. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError && error.field === field ? friendlyError(error) : undefined;
}

/** A label, a control and its hint/error, wired together for screen readers. */
export function Field({ label, hint, error, children }: { label: string; hint?: ReactNode; error?: string; children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode }) {
  const id = useId();
  const describedBy = error ? `${id}-err` : hint ? `${id}-hint` : undefined;
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {error ? (
        <span id={`${id}-err`} className="field-error">
          {error}
        </span>
      ) : hint ? (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      ) : null}
    </div>
  );
}

/** What Tab can reach inside an element, in order. */
const FOCUSABLE = 'a[href], button:not(:disabled), input:not(:disabled):not([type="hidden"]), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

/**
 * Keeps Tab and Shift+Tab inside a modal: the browser makes the page behind it inert, but from the
 * last control Tab would leave for the browser's own toolbar.
 */
export function trapTab(e: KeyboardEvent<HTMLElement>) {
  if (e.key !== 'Tab') return;
  const items = [...e.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
  if (items.length === 0) return;
  const first = items[0];
  const last = items[items.length - 1];
  const active = document.activeElement;
  if (e.shiftKey && (active === first || !e.currentTarget.contains(active))) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && active === last) {
    e.preventDefault();
    first.focus();
  }
}

/**
 * A modal dialog built on `<dialog>`: the browser makes the rest of the page inert and Escape
 * closes it; Tab is kept inside (trapTab). `initialFocus` names the control to focus on opening
 * (by default the browser's choice: the first control).
 */
export function Dialog({ open, title, onClose, children, className, initialFocus }: { open: boolean; title: string; onClose: () => void; children: ReactNode; className?: string; initialFocus?: RefObject<HTMLElement | null> }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      initialFocus?.current?.focus();
    }
    if (!open && d.open) d.close();
  }, [open, initialFocus]);
  return (
    <dialog ref={ref} className={className ?? 'dialog'} aria-labelledby={titleId} onClose={onClose} onCancel={onClose} onKeyDown={trapTab}>
      {open && (
        <>
          <header className="dialog-head">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="btn ghost icon" aria-label="Close" onClick={onClose}>
              ×
            </button>
          </header>
          <div className="dialog-body">{children}</div>
        </>
      )}
    </dialog>
  );
}

/** Asks before something that cannot be undone. */
export function Confirm({ open, title, body, confirmLabel, danger, onConfirm, onClose, busy, error }: { open: boolean; title: string; body: ReactNode; confirmLabel: string; danger?: boolean; onConfirm: () => void; onClose: () => void; busy?: boolean; error?: unknown }) {
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <div>{body}</div>
      <ErrorNote error={error} />
      <div className="actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className={`btn ${danger ? 'danger' : 'primary'}`} onClick={onConfirm} disabled={busy}>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

const ToastCtx = createContext<(msg: string) => void>(() => undefined);

/** Shows short confirmations ("Copied") in a polite live region. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [msg, setMsg] = useState<{ text: string; n: number } | null>(null);
  const show = useCallback((text: string) => setMsg((m) => ({ text, n: (m?.n ?? 0) + 1 })), []);
  useEffect(() => {
    if (!msg) return;
    const t = setTimeout(() => setMsg(null), 2500);
    return () => clearTimeout(t);
  }, [msg]);
  return (
    <ToastCtx.Provider value={show}>
      {children}
      <div className="toast-region" role="status" aria-live="polite">
        {msg && (
          <div className="toast" key={msg.n}>
            {msg.text}
          </div>
        )}
      </div>
    </ToastCtx.Provider>
  );
}

/** The toast function. */
export function useToast() {
  return useContext(ToastCtx);
}
