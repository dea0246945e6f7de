/** Exit codes of the `theus` bin: success, a failed run or check, bad usage. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** An error the CLI reports as one message (no stack) with its exit code. */
export class CliError extends Error {
  override name = 'CliError';

  /**
   * @param message - What went wrong and what to do, as printed.
   * @param exitCode - {@link EXIT}.failure for a failed run or check, {@link EXIT}.usage for bad usage.
   */
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
  }
}

/** Bad usage: a missing file, a bad option value (exit code 2). */
export function usageError(message: string): CliError {
  return new CliError(message, EXIT.usage);
}
