// QR decoding in the browser: images (upload, paste, drop) and camera frames go through jsQR on
// a canvas, so no image ever leaves the device unless the user chooses the server-side upload.
import jsQR from 'jsqr';

/** Decodes the QR code in RGBA pixels; null when there is none. */
export function decodePixels(data: Uint8ClampedArray, width: number, height: number): string | null {
  const r = jsQR(data, width, height, { inversionAttempts: 'attemptBoth' });
  return r?.data ?? null;
}

/** Draws an image source on a canvas (downscaled to at most `max` px) and decodes it. */
export function decodeDrawable(src: CanvasImageSource, width: number, height: number, max = 1200): string | null {
  const scale = Math.min(1, max / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  ctx.drawImage(src, 0, 0, w, h);
  const img = ctx.getImageData(0, 0, w, h);
  return decodePixels(img.data, w, h);
}

/** Decodes a QR code from an image file or blob. */
export async function decodeImageBlob(blob: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(blob);
  try {
    return decodeDrawable(bitmap, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}

/** The first image in a paste or drop, if any. */
export function imageFromTransfer(dt: DataTransfer | null): File | null {
  if (!dt) return null;
  for (const item of Array.from(dt.items ?? [])) {
    if (item.kind === 'file' && item.type.startsWith('image/')) return item.getAsFile();
  }
  for (const f of Array.from(dt.files ?? [])) if (f.type.startsWith('image/')) return f;
  return null;
}
