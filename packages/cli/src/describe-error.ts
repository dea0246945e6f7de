/**
 * One line for an error: `CODE: message` for errors with a string code (Theus errors, whose
 * messages already name the file, line and path, and Node's system errors), the message of
 * anything else.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
}
