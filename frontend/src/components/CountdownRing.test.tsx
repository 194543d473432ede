import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/react';
import { CountdownRing } from './CountdownRing';

describe('CountdownRing', () => {
  it('shows the seconds left and empties with time', () => {
    const full = render(<CountdownRing nowMs={60_000} period={30} />);
    expect(full.getByRole('img').getAttribute('aria-label')).toBe('30 seconds left');
    const fill = full.container.querySelector('.ring-fill')!;
    expect(Number(fill.getAttribute('stroke-dashoffset'))).toBeCloseTo(0);
    full.unmount();
    const half = render(<CountdownRing nowMs={75_000} period={30} />);
    const c = Number(half.container.querySelector('.ring-fill')!.getAttribute('stroke-dasharray'));
    expect(Number(half.container.querySelector('.ring-fill')!.getAttribute('stroke-dashoffset'))).toBeCloseTo(c / 2);
    expect(half.container.querySelector('svg')!.classList.contains('ending')).toBe(false);
    half.unmount();
  });
  it('warns in the last five seconds', () => {
    const r = render(<CountdownRing nowMs={86_000} period={30} />);
    expect(r.getByRole('img').getAttribute('aria-label')).toBe('4 seconds left');
    expect(r.container.querySelector('svg')!.classList.contains('ending')).toBe(true);
  });
});
