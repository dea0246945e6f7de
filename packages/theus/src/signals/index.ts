/**
 * Signals: an in-process publish/subscribe hub with bounded per-subscriber buffers.
 *
 * @packageDocumentation
 */
export { SignalHub } from './signal-hub.js';
export type { SignalHubOptions } from './signal-hub.js';
export type { SignalMessage } from './signal-message.js';
export type { SignalSubscription, SubscribeOptions } from './subscription.js';
