/** A tool was called without an action meant for it. */
export class ToolError extends Error {
  override name = 'ToolError';
}
