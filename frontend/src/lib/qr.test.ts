import { describe, expect, it } from 'vitest';
import QRCode from 'qrcode';
import { decodePixels } from './qr';

/** Renders a QR code as RGBA pixels (4 px per module, quiet zone of 4 modules), as a canvas would hold it. */
function render(text: string, dark = [0, 0, 0], light = [255, 255, 255]): { data: Uint8ClampedArray; size: number } {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const scale = 4;
  const quiet = 4;
  const size = (n + 2 * quiet) * scale;
  const data = new Uint8ClampedArray(size * size * 4);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const mx = Math.floor(x / scale) - quiet;
      const my = Math.floor(y / scale) - quiet;
      const on = mx >= 0 && my >= 0 && mx < n && my < n && qr.modules.get(my, mx);
      const c = on ? dark : light;
      data.set([c[0], c[1], c[2], 255], (y * size + x) * 4);
    }
  return { data, size };
}

describe('decodePixels', () => {
  const uri = 'otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example';
  it('reads an otpauth URI back from a QR image', () => {
    const { data, size } = render(uri);
    expect(decodePixels(data, size, size)).toBe(uri);
  });
  it('reads inverted (light on dark) codes too', () => {
    const { data, size } = render(uri, [255, 255, 255], [0, 0, 0]);
    expect(decodePixels(data, size, size)).toBe(uri);
  });
  it('returns null when there is no code', () => {
    const size = 64;
    expect(decodePixels(new Uint8ClampedArray(size * size * 4).fill(255), size, size)).toBeNull();
  });
});
