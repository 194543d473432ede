// Copies a code and clears it from the clipboard after the user's chosen delay, but only if the
// clipboard still holds our code (never wipe something the user copied since).

let pending: ReturnType<typeof setTimeout> | undefined;

/** Copies `text`; after `clearSeconds` (0 = never) empties the clipboard if it still holds it. */
export async function copyWithAutoClear(text: string, clearSeconds: number, clip: Clipboard = navigator.clipboard): Promise<void> {
  await clip.writeText(text);
  if (pending) clearTimeout(pending);
  pending = undefined;
  if (clearSeconds > 0) {
    pending = setTimeout(async () => {
      pending = undefined;
      try {
        // Reading may be refused (no permission): then clear unconditionally, our code is the likely content.
        const now = await clip.readText().catch(() => text);
        if (now === text) await clip.writeText('');
      } catch {
        /* the page lost focus or permission; nothing more we can do */
      }
    }, clearSeconds * 1000);
  }
}
