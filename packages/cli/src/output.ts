import { isCI } from '@clack/prompts';

/** Whether to show interactive output (progress, colours): a terminal, not CI, not `--json`. */
export function isInteractive(json = false): boolean {
  return !json && process.stdout.isTTY && !isCI();
}

/** Control characters but tab and newline (C0, DEL, C1), and the bidirectional overrides. */
const UNPRINTABLE = /[^\P{Cc}\t\n]|[\u202a-\u202e\u2066-\u2069]/gu;

/**
 * `text` with its control characters written as escapes (`\x1b`, `\u202e`), so names and file
 * contents shown on a terminal cannot move the cursor, retitle the window or hide what precedes them.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/** Writes one line to standard output, its control characters escaped ({@link printable}). */
export function say(line = ''): void {
  process.stdout.write(`${printable(line)}\n`);
}

/**
 * Writes a value as pretty JSON to standard output.
 *
 * @param replacer - A `JSON.stringify` replacer (to hide values).
 */
export function sayJson(value: unknown, replacer?: (key: string, value: unknown) => unknown): void {
  process.stdout.write(`${JSON.stringify(value, replacer, 2)}\n`);
}

/**
 * Lays out rows as a plain text table, columns padded to their widest cell (the last column is
 * not padded). Cells are single-line strings; newlines are shown as `\n`, other control characters
 * as {@link printable} shows them.
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows].map((row) => row.map((cell) => printable(cell.replaceAll('\n', '\\n'))));
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  return all
    .map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  '))
    .join('\n');
}
