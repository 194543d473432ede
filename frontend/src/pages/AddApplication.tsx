// Adding a 2FA account: paste an otpauth:// link, upload/paste/drop a QR image, scan with the
// camera, or fill in the manual form. Images are decoded in the browser first so the user sees
// what will be added; an image the browser cannot read is sent to the server's decoder instead.
import { useEffect, useRef, useState, type ClipboardEvent, type DragEvent } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { queryKeys, vault, type AppBody, type Application } from '../api';
import { AppForm, parseTags, type AppFormValues } from '../components/AppForm';
import { ErrorNote, Field, fieldError, useToast } from '../components/ui';
import { OtpAuthError, looksLikeOtpAuth, parseOtpAuth, type OtpAuthInfo } from '../lib/otpauth';
import { decodeDrawable, decodeImageBlob, imageFromTransfer } from '../lib/qr';

type Tab = 'link' | 'image' | 'camera' | 'manual';
const TABS: [Tab, string][] = [
  ['link', 'Paste link'],
  ['image', 'QR image'],
  ['camera', 'Camera'],
  ['manual', 'Manual'],
];

/** Drops empty optional strings so a create body only carries what the user gave. */
export function createBody(v: AppFormValues): AppBody {
  const body: AppBody = { ...v };
  for (const k of ['notes', 'icon', 'color', 'issuer', 'label'] as const) if (body[k] === '') delete body[k];
  if (v.otp_type !== 'hotp') delete body.counter;
  if (v.otp_type === 'hotp') delete body.period;
  return body;
}

export function AddApplication() {
  const [tab, setTab] = useState<Tab>('link');
  const navigate = useNavigate();
  const qc = useQueryClient();
  const toast = useToast();
  const done = (a: Application) => {
    qc.invalidateQueries({ queryKey: queryKeys.applications.all });
    toast(`${a.issuer || a.label || 'Account'} added`);
    navigate('/');
  };
  const create = useMutation({
    mutationFn: (body: AppBody) => vault.create(body),
    onSuccess: done,
  });
  const upload = useMutation({
    mutationFn: (file: Blob) => vault.createFromQr(file),
    onSuccess: done,
  });

  // The WAI-ARIA tabs pattern: arrows move (and wrap), Home and End go to the first and last tab.
  const onTabKey = (e: React.KeyboardEvent, i: number) => {
    const to: Record<string, number> = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: TABS.length - 1 };
    if (!(e.key in to)) return;
    e.preventDefault();
    const next = TABS[(to[e.key] + TABS.length) % TABS.length][0];
    setTab(next);
    document.getElementById(`tab-${next}`)?.focus();
  };

  return (
    <section>
      <div className="page-head">
        <h1 tabIndex={-1}>Add an account</h1>
      </div>
      <div role="tablist" aria-label="How to add" className="tabs">
        {TABS.map(([t, label], i) => (
          <button key={t} id={`tab-${t}`} role="tab" type="button" aria-selected={tab === t} aria-controls={`panel-${t}`} tabIndex={tab === t ? 0 : -1} className={`tab${tab === t ? ' on' : ''}`} onClick={() => setTab(t)} onKeyDown={(e) => onTabKey(e, i)}>
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="card panel">
        {tab === 'link' && <LinkTab busy={create.isPending} error={create.error} onAdd={(uri, extra) => create.mutate({ uri, ...extra })} />}
        {tab === 'image' && <ImageTab busy={create.isPending || upload.isPending} error={create.error ?? upload.error} onUri={(uri, extra) => create.mutate({ uri, ...extra })} onServerDecode={(f) => upload.mutate(f)} />}
        {tab === 'camera' && <CameraTab busy={create.isPending} error={create.error} onUri={(uri, extra) => create.mutate({ uri, ...extra })} />}
        {tab === 'manual' && <AppForm requireSecret submitLabel="Add account" busy={create.isPending} error={create.error} onSubmit={(v) => create.mutate(createBody(v))} />}
      </div>
    </section>
  );
}

interface Extra {
  tags?: string[];
  favorite?: boolean;
}

/** What a link will add, before adding it. */
function Preview({ info }: { info: OtpAuthInfo }) {
  return (
    <dl className="preview" aria-label="What will be added">
      <dt>Issuer</dt>
      <dd>{info.issuer || '—'}</dd>
      <dt>Account</dt>
      <dd>{info.label || '—'}</dd>
      <dt>Type</dt>
      <dd>
        {info.otp_type.toUpperCase()} · {info.algorithm} · {info.digits} digits · {info.otp_type === 'hotp' ? `counter ${info.counter}` : `${info.period} s`}
      </dd>
    </dl>
  );
}

function ExtraFields({ value, onChange }: { value: Extra; onChange: (e: Extra) => void }) {
  return (
    <div className="grid2">
      <Field label="Tags (optional)" hint="Separated by commas or spaces">
        {(p) => <input {...p} name="extra-tags" onChange={(e) => onChange({ ...value, tags: parseTags(e.target.value) })} />}
      </Field>
      <label className="check">
        <input type="checkbox" checked={value.favorite ?? false} onChange={(e) => onChange({ ...value, favorite: e.target.checked })} /> Favourite
      </label>
    </div>
  );
}

function LinkTab({ busy, error, onAdd }: { busy: boolean; error: unknown; onAdd: (uri: string, extra: Extra) => void }) {
  const [uri, setUri] = useState('');
  const [extra, setExtra] = useState<Extra>({});
  let info: OtpAuthInfo | null = null;
  let problem: string | null = null;
  if (uri.trim()) {
    try {
      info = parseOtpAuth(uri);
    } catch (e) {
      problem = e instanceof OtpAuthError ? e.message : String(e);
    }
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (info) onAdd(uri.trim(), extra);
      }}
    >
      <Field label="otpauth:// link" error={problem ?? fieldError(error, 'uri') ?? fieldError(error, 'secret')} hint="Sites show it as “can't scan? use this link”, or inside their QR code.">
        {(p) => <textarea {...p} rows={3} value={uri} onChange={(e) => setUri(e.target.value)} spellCheck={false} className="mono" placeholder="otpauth://totp/Example:alice@example.com?secret=…&issuer=Example" />}
      </Field>
      {info && <Preview info={info} />}
      <ExtraFields value={extra} onChange={setExtra} />
      <ErrorNote error={fieldError(error, 'uri') || fieldError(error, 'secret') ? null : error} />
      <div className="actions">
        <button type="submit" className="btn primary" disabled={!info || busy}>
          Add account
        </button>
      </div>
    </form>
  );
}

function ImageTab({ busy, error, onUri, onServerDecode }: { busy: boolean; error: unknown; onUri: (uri: string, extra: Extra) => void; onServerDecode: (f: Blob) => void }) {
  const [found, setFound] = useState<{ uri: string; info: OtpAuthInfo } | null>(null);
  const [file, setFile] = useState<Blob | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [extra, setExtra] = useState<Extra>({});
  const [reading, setReading] = useState(false);
  const read = async (f: Blob) => {
    setProblem(null);
    setFound(null);
    setFile(f);
    if (f.size > 2 * 1024 * 1024) {
      setProblem('That image is larger than 2 MiB.');
      return;
    }
    setReading(true);
    try {
      const text = await decodeImageBlob(f).catch(() => null);
      if (!text) {
        // jsQR missed it: the server's decoder (rqrr) gets a second try.
        setProblem('This browser could not find a QR code in the image. You can let the server try.');
        return;
      }
      if (!looksLikeOtpAuth(text)) {
        setProblem('The QR code does not hold an otpauth:// link.');
        return;
      }
      setFound({ uri: text, info: parseOtpAuth(text) });
    } catch (e) {
      setProblem(e instanceof OtpAuthError ? e.message : String(e));
    } finally {
      setReading(false);
    }
  };
  const onPaste = (e: ClipboardEvent) => {
    const img = imageFromTransfer(e.clipboardData);
    if (img) {
      e.preventDefault();
      read(img);
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const img = imageFromTransfer(e.dataTransfer);
    if (img) read(img);
  };
  return (
    <div onPaste={onPaste}>
      <div className="dropzone" onDragOver={(e) => e.preventDefault()} onDrop={onDrop} tabIndex={0} aria-label="Paste a QR image here (Ctrl+V) or drop it">
        <p>
          Drop a screenshot of the QR code here, paste it (<kbd>Ctrl</kbd>+<kbd>V</kbd>), or choose a file.
        </p>
        <Field label="QR image file (PNG or JPEG)">
          {(p) => <input {...p} type="file" accept="image/png,image/jpeg,image/*" onChange={(e) => e.target.files?.[0] && read(e.target.files[0])} />}
        </Field>
      </div>
      {reading && <p className="muted">Reading the image…</p>}
      {problem && (
        <p className="error-note" role="alert">
          {problem}
        </p>
      )}
      {found && <Preview info={found.info} />}
      {(found || file) && <ExtraFields value={extra} onChange={setExtra} />}
      <ErrorNote error={error} />
      <div className="actions">
        {problem && file && !found && file.size <= 2 * 1024 * 1024 && (
          <button type="button" className="btn" disabled={busy} onClick={() => onServerDecode(file)}>
            Let the server read it
          </button>
        )}
        <button type="button" className="btn primary" disabled={!found || busy} onClick={() => found && onUri(found.uri, extra)}>
          Add account
        </button>
      </div>
    </div>
  );
}

function CameraTab({ busy, error, onUri }: { busy: boolean; error: unknown; onUri: (uri: string, extra: Extra) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<'idle' | 'starting' | 'scanning' | 'found' | 'failed'>('idle');
  const [problem, setProblem] = useState<string | null>(null);
  const [found, setFound] = useState<{ uri: string; info: OtpAuthInfo } | null>(null);
  const [extra, setExtra] = useState<Extra>({});
  const stream = useRef<MediaStream | null>(null);

  const stop = () => {
    stream.current?.getTracks().forEach((t) => t.stop());
    stream.current = null;
  };
  useEffect(() => stop, []);

  const start = async () => {
    setProblem(null);
    setFound(null);
    if (!navigator.mediaDevices?.getUserMedia) {
      setState('failed');
      setProblem('This browser offers no camera here (cameras need HTTPS or localhost).');
      return;
    }
    setState('starting');
    try {
      stream.current = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch {
      setState('failed');
      setProblem('The camera could not be opened (permission refused or no camera).');
      return;
    }
    const v = video.current!;
    v.srcObject = stream.current;
    await v.play().catch(() => undefined);
    setState('scanning');
    // Decode a few frames per second: enough to feel instant without burning a phone's battery.
    const scan = () => {
      if (!stream.current) return;
      if (v.videoWidth > 0) {
        const text = decodeDrawable(v, v.videoWidth, v.videoHeight, 800);
        if (text && looksLikeOtpAuth(text)) {
          try {
            setFound({ uri: text, info: parseOtpAuth(text) });
            setState('found');
            stop();
            return;
          } catch (e) {
            setProblem(e instanceof OtpAuthError ? e.message : String(e));
          }
        }
      }
      setTimeout(scan, 250);
    };
    scan();
  };

  return (
    <div>
      <div className="camera">
        <video ref={video} muted playsInline aria-label="Camera preview" hidden={state !== 'scanning' && state !== 'starting'} />
        {state === 'idle' || state === 'failed' || state === 'found' ? (
          <button type="button" className="btn" onClick={start}>
            {state === 'found' ? 'Scan another' : 'Start the camera'}
          </button>
        ) : (
          <button
            type="button"
            className="btn"
            onClick={() => {
              stop();
              setState('idle');
            }}
          >
            Stop
          </button>
        )}
      </div>
      {state === 'scanning' && <p className="muted">Point the camera at the QR code…</p>}
      {problem && (
        <p className="error-note" role="alert">
          {problem}
        </p>
      )}
      {found && (
        <>
          <Preview info={found.info} />
          <ExtraFields value={extra} onChange={setExtra} />
        </>
      )}
      <ErrorNote error={error} />
      <div className="actions">
        <button type="button" className="btn primary" disabled={!found || busy} onClick={() => found && onUri(found.uri, extra)}>
          Add account
        </button>
      </div>
    </div>
  );
}
