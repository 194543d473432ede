import { describe, expect, it } from 'vitest';
import { clockOffset, colorFor, formatCode, formatWhen, fractionRemaining, initials, msUntilNextBoundary, secondsRemaining } from './format';

describe('formatCode', () => {
  it('splits 6 digits into halves', () => expect(formatCode('123456', 'halves')).toBe('123 456'));
  it('puts the longer half first for odd lengths', () => expect(formatCode('1234567', 'halves')).toBe('1234 567'));
  it('splits 8 digits 4+4', () => expect(formatCode('12345678', 'halves')).toBe('1234 5678'));
  it('splits into pairs', () => expect(formatCode('123456', 'pairs')).toBe('12 34 56'));
  it('pairs leave a lone last digit', () => expect(formatCode('1234567', 'pairs')).toBe('12 34 56 7'));
  it('keeps the code with none', () => expect(formatCode('123456', 'none')).toBe('123456'));
  it('groups Steam codes too', () => expect(formatCode('2TC8B', 'halves')).toBe('2TC 8B'));
  it('leaves empty codes alone', () => expect(formatCode('', 'halves')).toBe(''));
});

describe('countdown', () => {
  it('counts the seconds left in the period', () => {
    expect(secondsRemaining(59_000, 30)).toBe(1);
    expect(secondsRemaining(60_000, 30)).toBe(30);
    expect(secondsRemaining(61_500, 30)).toBe(29);
  });
  it('gives the fraction of the period left', () => {
    expect(fractionRemaining(60_000, 30)).toBe(1);
    expect(fractionRemaining(75_000, 30)).toBeCloseTo(0.5);
    expect(fractionRemaining(89_999, 30)).toBeCloseTo(1 / 30_000);
  });
  it('waits until the earliest boundary among several periods', () => {
    // At t=50 s: the 30-s period ends at 60 s, the 60-s period at 60 s, the 45-s one at 90 s.
    expect(msUntilNextBoundary(50_000, [45, 60, 30], 0)).toBe(10_000);
    expect(msUntilNextBoundary(50_000, [45], 0)).toBe(40_000);
    expect(msUntilNextBoundary(50_000, [], 0)).toBe(30_000);
  });
  it('adds a margin past the boundary', () => expect(msUntilNextBoundary(59_000, [30], 150)).toBe(1_150));
});

describe('clockOffset', () => {
  it('assumes the server read its clock halfway through the round trip', () => {
    // Sent at 1000, received at 1200 (local); the server said 5100 → local midpoint 1100 → +4000.
    expect(clockOffset(5_100, 1_000, 1_200)).toBe(4_000);
  });
});

describe('labels', () => {
  it('builds initials from the issuer', () => {
    expect(initials('GitHub', 'alice')).toBe('GI');
    expect(initials('Amazon Web Services', '')).toBe('AW');
    expect(initials('', 'bob@example.com')).toBe('BE');
  });
  it('derives a stable colour', () => {
    expect(colorFor('GitHub')).toBe(colorFor('GitHub'));
    expect(colorFor('GitHub')).not.toBe(colorFor('GitLab'));
  });
  it('describes recent times relatively', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(formatWhen('2026-01-01T11:59:30Z', now)).toBe('just now');
    expect(formatWhen('2026-01-01T11:55:00Z', now)).toBe('5 min ago');
    expect(formatWhen('2026-01-01T09:00:00Z', now)).toBe('3 h ago');
    expect(formatWhen(null, now)).toBe('—');
  });
});
