import type { TSESLint } from '@typescript-eslint/utils';

type Handler = (...args: never[]) => void;

/** Merges rule listeners: where several listen to the same selector, each runs, in order. */
export function combineListeners(...listeners: readonly TSESLint.RuleListener[]): TSESLint.RuleListener {
  const handlers = new Map<string, Handler[]>();
  for (const listener of listeners) {
    for (const [selector, handler] of Object.entries(listener)) {
      if (handler === undefined) continue;
      const list = handlers.get(selector) ?? [];
      list.push(handler);
      handlers.set(selector, list);
    }
  }
  const combined: Record<string, Handler> = {};
  for (const [selector, list] of handlers) {
    combined[selector] = (...args) => {
      for (const handler of list) handler(...args);
    };
  }
  return combined;
}
