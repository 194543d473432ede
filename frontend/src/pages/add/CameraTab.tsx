// Adding by scanning a QR code with the camera, a few frames a second.
import { useEffect, useRef, useState } from 'react';
import { ErrorNote } from '../../components/ui';
import { OtpAuthError, looksLikeOtpAuth, parseOtpAuth, type OtpAuthInfo } from '../../lib/otpauth';
import { decodeDrawable } from '../../lib/qr';
import { ExtraFields, type Extra } from './ExtraFields';
import { Preview } from './Preview';

export function CameraTab({ busy, error, onUri }: { busy: boolean; error: unknown; onUri: (uri: string, extra: Extra) => void }) {
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
