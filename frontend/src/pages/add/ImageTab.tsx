// Adding from a QR image: uploaded, pasted or dropped, decoded in the browser or else by the server.
import { useState, type ClipboardEvent, type DragEvent } from 'react';
import { ErrorNote, Field } from '../../components/ui';
import { OtpAuthError, looksLikeOtpAuth, parseOtpAuth, type OtpAuthInfo } from '../../lib/otpauth';
import { decodeImageBlob, imageFromTransfer } from '../../lib/qr';
import { ExtraFields, type Extra } from './ExtraFields';
import { Preview } from './Preview';

export function ImageTab({ busy, error, onUri, onServerDecode }: { busy: boolean; error: unknown; onUri: (uri: string, extra: Extra) => void; onServerDecode: (f: Blob) => void }) {
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
