// Adding a 2FA account: paste an otpauth:// link, upload/paste/drop a QR image, scan with the
// camera, or fill in the manual form. Images are decoded in the browser first so the user sees
// what will be added; an image the browser cannot read is sent to the server's decoder instead.
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, queryKeys, vault, type AppBody, type Application } from '../../api';
import { AppForm, type AppFormValues } from '../../components/AppForm';
import { useToast } from '../../components/ui';
import { CameraTab } from './CameraTab';
import { ImageTab } from './ImageTab';
import { LinkTab } from './LinkTab';

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
  // What was last sent, so that a secret the server finds too short (under 80 bits) can be
  // added anyway once the user confirms.
  const [lastSent, setLastSent] = useState<{ body?: AppBody; file?: Blob }>({});
  const create = useMutation({
    mutationFn: (body: AppBody) => {
      setLastSent({ body });
      return vault.create(body);
    },
    onSuccess: done,
  });
  const upload = useMutation({
    mutationFn: ({ file, allowShortSecret }: { file: Blob; allowShortSecret?: boolean }) => {
      setLastSent({ file });
      return vault.createFromQr(file, allowShortSecret);
    },
    onSuccess: done,
  });
  const failure = create.error ?? upload.error;
  const shortSecret = failure instanceof ApiError && failure.code === 'secret_too_short';
  const addAnyway = () => {
    if (lastSent.file) upload.mutate({ file: lastSent.file, allowShortSecret: true });
    else if (lastSent.body) create.mutate({ ...lastSent.body, allow_short_secret: true });
  };

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
      {shortSecret && (
        <div className="card panel weak-secret" role="alertdialog" aria-labelledby="weak-secret-title">
          <h2 id="weak-secret-title">This secret is unusually short</h2>
          <p>{failure.message}</p>
          <p>Codes from a short secret are easier to guess. Add it only if the service really issued it.</p>
          <div className="row">
            <button type="button" className="btn danger" onClick={addAnyway} disabled={create.isPending || upload.isPending}>
              Add it anyway
            </button>
            <button type="button" className="btn" onClick={() => (create.reset(), upload.reset())}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="card panel">
        {tab === 'link' && <LinkTab busy={create.isPending} error={create.error} onAdd={(uri, extra) => create.mutate({ uri, ...extra })} />}
        {tab === 'image' && <ImageTab busy={create.isPending || upload.isPending} error={create.error ?? upload.error} onUri={(uri, extra) => create.mutate({ uri, ...extra })} onServerDecode={(file) => upload.mutate({ file })} />}
        {tab === 'camera' && <CameraTab busy={create.isPending} error={create.error} onUri={(uri, extra) => create.mutate({ uri, ...extra })} />}
        {tab === 'manual' && <AppForm requireSecret submitLabel="Add account" busy={create.isPending} error={create.error} onSubmit={(v) => create.mutate(createBody(v))} />}
      </div>
    </section>
  );
}
