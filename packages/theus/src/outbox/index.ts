export { EngineOutbox } from './engine-outbox.js';
export { OutboxDispatcher } from './outbox-dispatcher.js';
export { DEFAULT_OUTBOX_OPTIONS, resolveOutboxOptions } from './outbox-options.js';
export type { OutboxOptions, ResolvedOutboxOptions } from './outbox-options.js';
export type { OutboxHandler } from './run-handler.js';
