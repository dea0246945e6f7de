/** The transient layers the engine writes for signals: never part of what a context schema describes. */
const SIGNAL_LAYERS = ['signal', 'cmd'] as const;

/**
 * The state a context schema judges: the committed root without its top-level `signal` / `cmd`
 * layers. Those hold the signals of one version, written and cleared by the engine, so a strict
 * schema (`z.strictObject`) of the user's layers must not fail every commit that emits a signal.
 * The root itself when it has neither (no copy on the common path).
 */
export function schemaView(root: object): object {
  if (!SIGNAL_LAYERS.some((layer) => Object.hasOwn(root, layer))) return root;
  const view: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(root)) if (key !== 'signal' && key !== 'cmd') view[key] = value;
  return view;
}
