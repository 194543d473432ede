// Live codes: fetched from the server once per period boundary (not every second), shown against
// the server's clock, and switched to the already-fetched next code the instant a period ends.
import { useEffect, useRef, useState } from 'react';
import { vault, type Code } from '../api';
import { clockOffset, msUntilNextBoundary } from './format';

/** The codes of one fetch, with when (server time) they were computed. */
export interface CodeSet {
  byId: Map<string, Code>;
  serverTimeMs: number;
  offsetMs: number;
}

/** Which code to show at `nowMs` for one application fetched at `fetchedAtMs`; null when both are stale. */
export function codeAt(code: Code, fetchedAtMs: number, nowMs: number): string | null {
  const fetchedStep = Math.floor(fetchedAtMs / 1000 / code.period);
  const nowStep = Math.floor(nowMs / 1000 / code.period);
  if (nowStep === fetchedStep) return code.code;
  if (nowStep === fetchedStep + 1) return code.next_code;
  return null;
}

/** Ticks a server-corrected clock every second for the countdown rings. */
export function useNow(offsetMs: number, everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now() + offsetMs);
  useEffect(() => {
    setNow(Date.now() + offsetMs);
    // Align ticks to whole seconds so every ring changes together.
    let t: ReturnType<typeof setTimeout>;
    const tick = () => {
      const n = Date.now() + offsetMs;
      setNow(n);
      t = setTimeout(tick, everyMs - (n % everyMs) + 5);
    };
    t = setTimeout(tick, everyMs - ((Date.now() + offsetMs) % everyMs) + 5);
    return () => clearTimeout(t);
  }, [offsetMs, everyMs]);
  return now;
}

/** Fetches codes now, then again just after each period boundary; `refresh()` forces a fetch. */
export function useCodes(enabled: boolean, version: unknown): { set: CodeSet | null; error: unknown; refresh: () => void } {
  const [set, setSet] = useState<CodeSet | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [kick, setKick] = useState(0);
  const offset = useRef(0);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ctrl = new AbortController();
    // Only the newest load may schedule the next one, so a load started while another is in
    // flight (tab shown again) never leaves two polling loops behind.
    let generation = 0;
    const load = async () => {
      const mine = ++generation;
      clearTimeout(timer);
      const sent = Date.now();
      try {
        const res = await vault.codes(ctrl.signal);
        const received = Date.now();
        if (!live || mine !== generation) return;
        offset.current = clockOffset(res.server_time, sent, received);
        setSet({ byId: new Map(res.codes.map((c) => [c.id, c])), serverTimeMs: res.server_time, offsetMs: offset.current });
        setError(null);
        // HOTP-only vaults have no boundary: their codes change only when a counter is stepped.
        const wait = msUntilNextBoundary(received + offset.current, res.codes.map((c) => c.period));
        if (wait !== null) timer = setTimeout(load, wait);
      } catch (e) {
        if (!live || mine !== generation || (e instanceof DOMException && e.name === 'AbortError')) return;
        setError(e);
        timer = setTimeout(load, 5_000);
      }
    };
    load();
    // A tab that slept through boundaries fetches as soon as it is visible again.
    const onVisible = () => {
      if (document.visibilityState === 'visible') load();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      live = false;
      ctrl.abort();
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [enabled, version, kick]);
  return { set, error, refresh: () => setKick((k) => k + 1) };
}
