// Pure helpers for showing codes and time: kept free of React so Vitest covers them directly.

/** How a code is grouped for reading. */
export type CodeFormat = 'none' | 'pairs' | 'halves';

/**
 * The `code_format` preference, which the API types as a plain string, as a CodeFormat: anything
 * other than `none` or `pairs` reads as `halves` (what formatCode does with it anyway).
 */
export function toCodeFormat(pref: string): CodeFormat {
  return pref === 'none' || pref === 'pairs' ? pref : 'halves';
}

/**
 * Groups a code for reading aloud or typing: `halves` splits 6 → 3+3, 8 → 4+4, 7 → 4+3 (the
 * longer group first, as most authenticator apps do); `pairs` splits into twos; `none` keeps it.
 */
export function formatCode(code: string, format: CodeFormat): string {
  if (!code) return code;
  if (format === 'none' || code.length < 4) return code;
  if (format === 'pairs') return code.match(/.{1,2}/g)!.join(' ');
  const first = Math.ceil(code.length / 2);
  return `${code.slice(0, first)} ${code.slice(first)}`;
}

/** Seconds left in the current period at `nowMs` (server-corrected), 1…period. */
export function secondsRemaining(nowMs: number, period: number): number {
  const s = Math.floor(nowMs / 1000);
  return period - (s % period);
}

/** The fraction of the period still left at `nowMs`, in [0, 1], for the countdown ring. */
export function fractionRemaining(nowMs: number, period: number): number {
  const periodMs = period * 1000;
  const left = periodMs - (((nowMs % periodMs) + periodMs) % periodMs);
  return left / periodMs;
}

/**
 * Milliseconds from `nowMs` until the earliest period boundary among `periods` (plus a margin),
 * or null when no period is time-based (HOTP codes report period 0 and change only on request).
 */
export function msUntilNextBoundary(nowMs: number, periods: number[], marginMs = 150): number | null {
  const timed = periods.filter((p) => Number.isFinite(p) && p > 0);
  if (timed.length === 0) return null;
  let best = Infinity;
  for (const p of new Set(timed)) {
    const periodMs = p * 1000;
    const into = ((nowMs % periodMs) + periodMs) % periodMs;
    best = Math.min(best, periodMs - into);
  }
  return best + marginMs;
}

/** The offset to add to the local clock so it reads the server's time. */
export function clockOffset(serverTimeMs: number, sentAtMs: number, receivedAtMs: number): number {
  // Assume the server read its clock halfway through the round trip (as NTP does, RFC 5905 §8).
  return serverTimeMs - (sentAtMs + receivedAtMs) / 2;
}

/** A short relative or absolute date for lists ("3 min ago", or the date). */
export function formatWhen(iso: string | null | undefined, nowMs: number = Date.now()): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const diff = Math.round((nowMs - t) / 1000);
  if (diff >= 0 && diff < 60) return 'just now';
  if (diff >= 60 && diff < 3600) return `${Math.floor(diff / 60)} min ago`;
  if (diff >= 3600 && diff < 86_400) return `${Math.floor(diff / 3600)} h ago`;
  return new Date(t).toLocaleString();
}

/** Two initials for an application's badge when it has no icon. */
export function initials(issuer: string, label: string): string {
  const src = (issuer || label || '?').trim();
  const words = src.split(/[\s._@-]+/).filter(Boolean);
  const s = words.length > 1 ? words[0][0] + words[1][0] : src.slice(0, 2);
  return s.toUpperCase();
}

/** A stable colour (#rrggbb) for an application without one, derived from its name. */
export function colorFor(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)!) % 360;
  // HSL (55 %, 45 %) to RGB.
  const s = 0.55;
  const l = 0.45;
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  return `#${[f(0), f(8), f(4)].map((v) => Math.round(v * 255).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG 2 relative luminance of a #rrggbb colour; null when it is not one. */
export function luminance(hex: string): number | null {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  if (!m) return null;
  const [r, g, b] = m.slice(1).map((x) => {
    const c = parseInt(x, 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two relative luminances (1 to 21). */
export const contrastRatio = (l1: number, l2: number) => (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);

/**
 * Black or white, whichever reads better on `background` (#rrggbb): one of the two always reaches
 * 4.5:1 (WCAG 2 AA), whatever colour the user picked. White for anything unparseable.
 */
export function textColorOn(background: string): '#000000' | '#ffffff' {
  const l = luminance(background);
  if (l === null) return '#ffffff';
  return contrastRatio(l, 0) > contrastRatio(l, 1) ? '#000000' : '#ffffff';
}
