import { useEffect, useRef } from 'react';

const EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'mousemove'] as const;

/** Calls `onIdle` once after `minutes` without input (0 = never). Hidden tabs count as idle time. */
export function useIdleLock(minutes: number, onIdle: () => void): void {
  const cb = useRef(onIdle);
  cb.current = onIdle;
  useEffect(() => {
    if (!minutes || minutes <= 0) return;
    const limit = minutes * 60_000;
    let last = Date.now();
    let fired = false;
    const touch = () => {
      last = Date.now();
    };
    // A timer check rather than one long timeout: timers in background tabs are throttled, and
    // a laptop waking from sleep must lock at once.
    const check = () => {
      if (!fired && Date.now() - last >= limit) {
        fired = true;
        cb.current();
      }
    };
    EVENTS.forEach((e) => window.addEventListener(e, touch, { passive: true }));
    document.addEventListener('visibilitychange', check);
    const t = setInterval(check, 5_000);
    return () => {
      EVENTS.forEach((e) => window.removeEventListener(e, touch));
      document.removeEventListener('visibilitychange', check);
      clearInterval(t);
    };
  }, [minutes]);
}
