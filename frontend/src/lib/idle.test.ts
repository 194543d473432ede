import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderHook } from '@testing-library/react';
import { ACTIVITY_KEY, useIdleLock } from './idle';

describe('useIdleLock', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    localStorage.clear();
  });
  afterEach(() => vi.useRealTimers());

  it('locks once after the idle time', () => {
    const onIdle = vi.fn();
    renderHook(() => useIdleLock(1, onIdle));
    vi.advanceTimersByTime(55_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(10_000);
    expect(onIdle).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(120_000);
    expect(onIdle).toHaveBeenCalledOnce();
  });

  it('input postpones the lock and is shared with other tabs', () => {
    const onIdle = vi.fn();
    renderHook(() => useIdleLock(1, onIdle));
    vi.advanceTimersByTime(50_000);
    window.dispatchEvent(new KeyboardEvent('keydown'));
    expect(Number(localStorage.getItem(ACTIVITY_KEY))).toBe(Date.now());
    vi.advanceTimersByTime(50_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(15_000);
    expect(onIdle).toHaveBeenCalledOnce();
  });

  it('activity recorded by another tab keeps this one unlocked', () => {
    const onIdle = vi.fn();
    renderHook(() => useIdleLock(1, onIdle));
    vi.advanceTimersByTime(50_000);
    localStorage.setItem(ACTIVITY_KEY, String(Date.now())); // what the other tab writes
    vi.advanceTimersByTime(50_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(15_000);
    expect(onIdle).toHaveBeenCalledOnce();
  });

  it('never locks with 0', () => {
    const onIdle = vi.fn();
    renderHook(() => useIdleLock(0, onIdle));
    vi.advanceTimersByTime(24 * 3_600_000);
    expect(onIdle).not.toHaveBeenCalled();
  });
});
