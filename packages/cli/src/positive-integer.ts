import { usageError } from './cli-error.js';

/**
 * A commander option parser for positive integers (`--max-ops 500`, `--limit 20`).
 *
 * @throws CliError (exit 2) naming the option when the text is not a whole number of at least 1.
 */
export function positiveInteger(option: string): (text: string) => number {
  return (text) => {
    const value = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < 1) throw usageError(`${option} takes a whole number of at least 1, not '${text}'.`);
    return value;
  };
}
