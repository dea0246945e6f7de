/**
 * Bounded previews of checked values for messages and the log: the cost is bounded by the output
 * length, however large the value, and a preview never throws (cycles, getters, proxies). The value
 * of a PRIVATE (`internal_`) key is never shown, at any depth: `{"internal_pin":[private]}`.
 *
 * @packageDocumentation
 */
import { zoneOfSegment } from '../context/zones.js';

/** The longest preview, in characters, before it is cut with `…`. */
export const PREVIEW_LENGTH = 80;

/** What a preview shows in place of a PRIVATE key's value. */
export const PRIVATE_PREVIEW = '[private]';

interface PreviewState {
  text: string;
  readonly limit: number;
  readonly seen: Set<object>;
}

/** A JSON-like preview of `value`, at most `limit` characters. */
export function previewValue(value: unknown, limit = PREVIEW_LENGTH): string {
  // Fast path: the log previews every checked value, and most are short primitives.
  if (typeof value === 'number' || typeof value === 'boolean') return String(value).slice(0, limit);
  if (typeof value === 'string' && value.length < limit - 2) return JSON.stringify(value);
  const state: PreviewState = { text: '', limit, seen: new Set() };
  try {
    write(value, state);
  } catch {
    state.text += '…';
  }
  return state.text.length > limit ? `${state.text.slice(0, limit - 1)}…` : state.text;
}

/** Appends `value` to the preview; returns false once the budget is spent so callers stop walking. */
function write(value: unknown, state: PreviewState): boolean {
  switch (typeof value) {
    case 'string':
      state.text += JSON.stringify(value.length > state.limit ? value.slice(0, state.limit) : value);
      break;
    case 'number':
    case 'boolean':
      state.text += String(value);
      break;
    case 'bigint':
      state.text += `${value.toString()}n`;
      break;
    case 'undefined':
      state.text += 'undefined';
      break;
    case 'symbol':
      state.text += value.toString();
      break;
    case 'function':
      state.text += '[function]';
      break;
    default:
      return writeObject(value as object | null, state);
  }
  return state.text.length <= state.limit;
}

function writeObject(value: object | null, state: PreviewState): boolean {
  if (value === null) state.text += 'null';
  else if (state.seen.has(value)) state.text += '[cycle]';
  else if (value instanceof Date) state.text += Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  else if (value instanceof Map || value instanceof Set) state.text += `${value.constructor.name}(${String(value.size)})`;
  else {
    state.seen.add(value);
    const isArray = Array.isArray(value);
    const keys = isArray ? value.keys() : Object.keys(value).values();
    state.text += isArray ? '[' : '{';
    let first = true;
    for (const key of keys) {
      if (!first) state.text += ',';
      first = false;
      if (!isArray) state.text += `${JSON.stringify(key)}:`;
      if (state.text.length > state.limit) return false;
      if (!isArray && zoneOfSegment(key as string) === 'PRIVATE') state.text += PRIVATE_PREVIEW;
      else if (!write((value as Record<string | number, unknown>)[key], state)) return false;
    }
    state.seen.delete(value);
    state.text += isArray ? ']' : '}';
  }
  return state.text.length <= state.limit;
}
