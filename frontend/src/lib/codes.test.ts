import { describe, expect, it } from 'vitest';
import { codeAt } from './codes';

const code = { id: 'a', code: '111111', next_code: '222222', period: 30, remaining: 10 };

describe('codeAt', () => {
  it('shows the current code within the period it was computed in', () => {
    expect(codeAt(code, 60_000, 60_000)).toBe('111111');
    expect(codeAt(code, 60_000, 89_999)).toBe('111111');
  });
  it('switches to the prefetched next code the moment the period ends', () => expect(codeAt(code, 60_000, 90_000)).toBe('222222'));
  it('shows nothing once both codes are stale', () => expect(codeAt(code, 60_000, 120_000)).toBeNull());
  it('respects the application period', () => {
    const slow = { ...code, period: 60 };
    expect(codeAt(slow, 60_000, 110_000)).toBe('111111');
    expect(codeAt(slow, 60_000, 120_000)).toBe('222222');
  });
});
