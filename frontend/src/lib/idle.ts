import { useEffect, useRef } from 'react';

const EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'mousemove'] as const;

/** localStorage key holding the last input time seen by any tab. */
export const ACTIVITY_KEY = 'authnode-last-activity';

/** Calls `onIdle` once after `minutes` without input (0 = never). Hidden tabs count as idle time. */
export function useIdleLock(minutes: number, onIdle: () => void): void {
  const cb = useRef(onIdle);
  cb.current = onIdle;
  useEffect(() => {
    if (!minutes || minutes <= 0) return;
    const limit = minutes * 60_000;
    let last = Date.now();
    let shared = 0;
    let fired = false;
    const touch = () => {
      last = Date.now();
      // Tabs share the session cookie, so activity in any tab keeps them all unlocked.
      if (last - shared > 5_000) {
        shared = last;
        try {
          localStorage.setItem(ACTIVITY_KEY, String(last));
        } catch {
          /* storage disabled: this tab's own activity still counts */
        }
      }
    };
    const lastActivity = () => {
      let other = 0;
      try {
        other = Number(localStorage.getItem(ACTIVITY_KEY) ?? 0) || 0;
      } catch {
        other = 0;
      }
      return Math.max(last, other);
    };
    // A timer check rather than one long timeout: timers in background tabs are throttled, and
    // a laptop waking from sleep must lock at once.
    const check = () => {
      if (!fired && Date.now() - lastActivity() >= limit) {
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
