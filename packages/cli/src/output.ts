import { isCI } from '@clack/prompts';

/** Whether to show interactive output (progress, colours): a terminal, not CI, not `--json`. */
export function isInteractive(json = false): boolean {
  return !json && process.stdout.isTTY && !isCI();
}

/** Writes one line to standard output. */
export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Writes a value as pretty JSON to standard output. */
export function sayJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Lays out rows as a plain text table, columns padded to their widest cell (the last column is
 * not padded). Cells are single-line strings; newlines are shown as `\n`.
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows].map((row) => row.map((cell) => cell.replaceAll('\n', '\\n')));
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  return all
    .map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  '))
    .join('\n');
}
