import { describe, expect, it } from 'vitest';
import { clockOffset, colorFor, contrastRatio, formatCode, formatWhen, fractionRemaining, initials, luminance, msUntilNextBoundary, secondsRemaining, textColorOn, toCodeFormat } from './format';

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
    expect(msUntilNextBoundary(50_000, [], 0)).toBeNull();
  });
  it('ignores HOTP (period 0): no timer when nothing is time-based', () => {
    expect(msUntilNextBoundary(50_000, [30, 0], 0)).toBe(10_000);
    expect(msUntilNextBoundary(50_000, [0], 0)).toBeNull();
    expect(msUntilNextBoundary(50_000, [Number.NaN, 0], 0)).toBeNull();
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
    expect(colorFor('GitHub')).toMatch(/^#[0-9a-f]{6}$/);
  });
  it('computes WCAG luminance and contrast', () => {
    expect(luminance('#ffffff')).toBeCloseTo(1);
    expect(luminance('#000000')).toBe(0);
    expect(luminance('red')).toBeNull();
    expect(contrastRatio(1, 0)).toBeCloseTo(21);
  });
  it('picks badge text that reaches 4.5:1 on any background', () => {
    expect(textColorOn('#34b25e')).toBe('#000000'); // a mid green: white would be 2.7:1
    expect(textColorOn('#1a2b3c')).toBe('#ffffff');
    for (let v = 0; v < 0x1000000; v += 0x010307) {
      const bg = `#${v.toString(16).padStart(6, '0')}`;
      const text = textColorOn(bg);
      expect(contrastRatio(luminance(bg)!, luminance(text)!)).toBeGreaterThanOrEqual(4.5);
    }
    for (const name of ['GitHub', 'Bank', 'Old', 'Cloud', 'Example']) {
      expect(contrastRatio(luminance(colorFor(name))!, luminance(textColorOn(colorFor(name)))!)).toBeGreaterThanOrEqual(4.5);
    }
  });
  it('describes recent times relatively', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(formatWhen('2026-01-01T11:59:30Z', now)).toBe('just now');
    expect(formatWhen('2026-01-01T11:55:00Z', now)).toBe('5 min ago');
    expect(formatWhen('2026-01-01T09:00:00Z', now)).toBe('3 h ago');
    expect(formatWhen(null, now)).toBe('—');
  });
});

describe('toCodeFormat', () => {
  it('keeps the known formats and reads anything else as halves', () => {
    expect(['none', 'pairs', 'halves'].map(toCodeFormat)).toEqual(['none', 'pairs', 'halves']);
    expect(toCodeFormat('')).toBe('halves');
    expect(toCodeFormat('thirds')).toBe('halves');
  });
});
