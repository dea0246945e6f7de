/**
 * The state a worker receives: the committed subtrees of a contract's declared paths as plain
 * data a structured clone accepts (persistent records, which are Proxy facades, become plain
 * objects), with PRIVATE (`internal_`) keys left out: a process never sees them, so they stay on
 * the main thread. HEAVY binaries are kept by reference (a SharedArrayBuffer is then shared with
 * the worker, not copied).
 *
 * Committed nodes never change, so each node's plain form is computed once and cached: a record
 * of 10,000 accounts is converted once per version it has, not once per run.
 *
 * @packageDocumentation
 */
import { getChild } from '../context/tree.js';
import { recordForEachInsertion, recordStoreOf, setPlainKey } from '../context/persistent-record.js';
import { carriesPrivate, isPrivateKey } from '../context/private-carriers.js';
import type { PathSegments } from '../context/paths.js';

/** The plain form of committed nodes, by node (weak: it lives as long as the version that holds it). */
const plainForms = new WeakMap<object, object>();

/**
 * The plain partial state a worker starts from: every declared path's committed value at its
 * place, the containers above it made of plain objects. A path whose value is absent is left
 * absent, its containers that exist made (empty) so that the worker sees them exist. A path
 * through an array or a primitive sends the whole array or the primitive (a partial array would
 * have holes). `paths` undefined: the whole state (a relaxed engine's run may read anything).
 */
export function workerState(root: object, paths: readonly PathSegments[] | undefined): object {
  if (paths === undefined) return plainForm(root);
  const out: Record<string, unknown> = {};
  const placed: PathSegments[] = [];
  for (const path of [...paths].sort((a, b) => a.length - b.length)) {
    if (placed.some((done) => isPrefix(done, path))) continue;
    let node: unknown = root;
    let depth = 0;
    for (; depth < path.length; depth++) {
      if (typeof node !== 'object' || node === null || Array.isArray(node)) break;
      const child = getChild(node, path[depth] as string | number);
      if (child === undefined) break;
      node = child;
    }
    const reached = path.slice(0, depth);
    const whole = depth === path.length || typeof node !== 'object' || node === null || Array.isArray(node);
    if (!whole) {
      containers(out, reached);
      continue;
    }
    if (reached.length === 0) return plainForm(root);
    placed.push(reached);
    containers(out, reached.slice(0, -1)).set(String(reached[reached.length - 1]), plainForm(node));
  }
  return out;
}

/** The plain object at `path` of `out`, made (with the ones above it) where missing; `set` defines a key of it. */
function containers(out: Record<string, unknown>, path: PathSegments): { set(key: string, value: unknown): void } {
  let container = out;
  for (const segment of path) {
    const key = String(segment);
    let next = container[key];
    if (typeof next !== 'object' || next === null) {
      next = {};
      setPlainKey(container, key, next);
    }
    container = next as Record<string, unknown>;
  }
  return { set: (key, value) => setPlainKey(container, key, value) };
}

function isPrefix(prefix: PathSegments, path: PathSegments): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => String(segment) === String(path[i]));
}

/** The plain form of a committed value (see the module comment); primitives and binaries as they are. */
function plainForm(value: unknown): object {
  return convert(value) as object;
}

function convert(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || !isContainer(value)) return value;
  const cached = plainForms.get(value);
  if (cached !== undefined) return cached;
  let plain: object;
  const store = recordStoreOf(value);
  if (store !== undefined) {
    const out: Record<string, unknown> = {};
    recordForEachInsertion(store, (child, key) => {
      if (!isPrivateKey(key)) setPlainKey(out, key, convert(child));
    });
    plain = Object.freeze(out);
  } else if (Array.isArray(value)) {
    const items = value as readonly unknown[];
    let out: unknown[] | undefined;
    for (let i = 0; i < items.length; i++) {
      const item = convert(items[i]);
      if (out === undefined && item !== items[i]) out = items.slice(0, i);
      out?.push(item);
    }
    plain = out === undefined ? value : Object.freeze(out);
  } else {
    const node = value as Record<string, unknown>;
    const hidden = carriesPrivate(node);
    let out: Record<string, unknown> | undefined;
    let index = 0;
    const keys = Object.keys(node);
    for (const key of keys) {
      const child = node[key];
      const plainChild = hidden && isPrivateKey(key) ? PRIVATE : convert(child);
      if (out === undefined && plainChild !== child) {
        out = {};
        for (let i = 0; i < index; i++) setPlainKey(out, keys[i] as string, node[keys[i] as string]);
      }
      if (out !== undefined && plainChild !== PRIVATE) setPlainKey(out, key, plainChild);
      index++;
    }
    plain = out === undefined ? node : Object.freeze(out);
  }
  plainForms.set(value, plain);
  return plain;
}

/** Marks a PRIVATE entry left out of a plain form. */
const PRIVATE = Symbol('private');

/** Plain objects, arrays and records: what {@link convert} walks (ArrayBuffers and other binaries are kept as they are). */
function isContainer(value: object): boolean {
  if (Array.isArray(value) || recordStoreOf(value) !== undefined) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
