/**
 * Reads a definition file from disk without ever holding more than the size bound in memory
 * (Node only: imported by the file loaders, never by the core entry). The size is checked before
 * reading, and again while reading, so a file that grows, or a device such as `/dev/zero` behind
 * a `.yaml` name, cannot exhaust memory or block the event loop.
 *
 * @packageDocumentation
 */
import { open } from 'node:fs/promises';

/** A file's text, or the size that put it over the bound (`exact` when known from `stat`). */
export type BoundedText = { readonly text: string } | { readonly tooLarge: number; readonly exact: boolean };

const CHUNK = 64 * 1024;

/** Reads `path` as UTF-8 if it holds at most `maxBytes` bytes; otherwise reports its size. */
export async function readTextFile(path: string, maxBytes: number): Promise<BoundedText> {
  const handle = await open(path, 'r');
  try {
    const info = await handle.stat();
    if (info.isFile() && info.size > maxBytes) return { tooLarge: info.size, exact: true };
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const size = Math.min(CHUNK, maxBytes + 1 - total);
      const { bytesRead, buffer } = await handle.read(new Uint8Array(size), 0, size, null);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) return { tooLarge: total, exact: false };
    }
    return { text: new TextDecoder('utf-8').decode(concat(chunks, total)) };
  } finally {
    await handle.close();
  }
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
