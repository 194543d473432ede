import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { copyWithAutoClear } from './clipboard';

function fakeClipboard(initial = '') {
  let text = initial;
  return {
    get text() {
      return text;
    },
    writeText: vi.fn(async (t: string) => {
      text = t;
    }),
    readText: vi.fn(async () => text),
  } as unknown as Clipboard & { text: string };
}

describe('copyWithAutoClear', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('clears the clipboard after the delay', async () => {
    const clip = fakeClipboard();
    await copyWithAutoClear('123456', 30, clip);
    expect(clip.text).toBe('123456');
    await vi.advanceTimersByTimeAsync(29_000);
    expect(clip.text).toBe('123456');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(clip.text).toBe('');
  });

  it('leaves something the user copied since', async () => {
    const clip = fakeClipboard();
    await copyWithAutoClear('123456', 10, clip);
    await clip.writeText('my own text');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(clip.text).toBe('my own text');
  });

  it('never clears with 0', async () => {
    const clip = fakeClipboard();
    await copyWithAutoClear('123456', 0, clip);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(clip.text).toBe('123456');
  });

  it('a second copy restarts the delay', async () => {
    const clip = fakeClipboard();
    await copyWithAutoClear('111111', 10, clip);
    await vi.advanceTimersByTimeAsync(8_000);
    await copyWithAutoClear('222222', 10, clip);
    await vi.advanceTimersByTimeAsync(8_000);
    expect(clip.text).toBe('222222');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(clip.text).toBe('');
  });
});
