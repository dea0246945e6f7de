import { getChild } from '../context/tree.js';
import { isBinary } from '../context/value-model.js';
import { describe } from '../context/paths.js';
import { TheusError } from '../errors/index.js';
import { checkHeavyName, readAllocRequest, type AllocRequest } from './alloc-request.js';
import { HEAVY_TYPES, type HeavyArrayTypes, type HeavyType, type HeavyValue } from './heavy-types.js';

/**
 * What {@link EngineHeavy} needs from its engine: the commit path with admin rights, the
 * committed state, and whether the engine still accepts work.
 */
export interface HeavyHost {
  /** Commits the changes `recipe` makes to a draft of the whole state (`engine.edit`); resolves after the commit. */
  edit(recipe: (draft: Record<string, unknown>) => unknown): Promise<number>;
  /** The committed state (`engine.state`). */
  state(): object;
  /** Throws when the engine was closed (checked before anything is allocated). */
  assertOpen?(): void;
}

/** The options of {@link EngineHeavy.alloc}. */
export interface HeavyAllocOptions<TType extends HeavyType = HeavyType> {
  /** The element type: `'float32'`, `'uint8'`, `'bigint64'`, ... (see `HEAVY_TYPES`). */
  readonly type: TType;
  /** The number of elements, from 0 up to 4 GiB (`HEAVY_MAX_BYTES`) worth of them. */
  readonly length: number;
  /** Replace an array already at `heavy.<name>` (in one commit) instead of refusing with `HEAVY_EXISTS`. Default `false`. */
  readonly replace?: boolean;
}

/**
 * The HEAVY zone of one engine (`engine.heavy`): large binary data shared, never copied, between
 * processes and worker threads.
 *
 * `alloc` makes a typed array backed by a `SharedArrayBuffer` and commits it at `heavy.<name>`
 * through the engine's commit path (a commit event, a history entry, the store). From then on
 * the committed state holds that very object: processes that declare `heavy.<name>` receive it,
 * parallel workers receive the same shared memory, and nothing is frozen, copied or walked.
 *
 * Two kinds of change, two rules:
 * - **Replacing** the array (assigning another binary at `heavy.<name>`, `alloc` with
 *   `replace: true`) is a write like any other: transactional, conflict-checked, rolled back
 *   with a failed run.
 * - **Writing into** the array (`field[i] = x`) is immediate, visible to every holder at once,
 *   and **not rolled back** when the run that wrote fails. Rolling it back would mean copying the
 *   buffer before every run that may write it, which is the very cost the zone exists to avoid;
 *   so a process that must not leave partial writes should fill a new array and replace the old
 *   one, or write its result to DATA once it has succeeded. For the same reason the contract
 *   guards do not watch writes inside a binary (a typed array cannot be made read-only without a
 *   copy), and time travel shares HEAVY values: `engine.stateAt(v)` holds the same objects as the
 *   versions after it, with their current contents.
 *
 * @example
 * ```ts
 * const engine = new Engine({ context: { heavy: {}, domain: { total: 0 } }, processes: [sum] });
 * const field = await engine.heavy.alloc('field', { type: 'float64', length: 1_000_000 });
 * field.fill(0.5);                           // in place: no commit, no copy
 * engine.state.heavy.field === field;        // true
 * await engine.execute(sum);                 // inputs: ['heavy.field'], outputs: ['domain.total']
 * ```
 */
export class EngineHeavy {
  readonly #host: HeavyHost;

  /** Built by the engine (`engine.heavy`); see {@link HeavyHost}. */
  constructor(host: HeavyHost) {
    this.#host = host;
  }

  /** The element types this runtime can allocate (`float16` only where `Float16Array` exists). */
  get types(): readonly HeavyType[] {
    return HEAVY_TYPES;
  }

  /**
   * Allocates a zeroed typed array of `length` elements of `type` on a new `SharedArrayBuffer`,
   * commits it at `heavy.<name>` (creating the `heavy` layer if there is none) and resolves to
   * it once the commit is durable: `engine.state.heavy[name]` is then the returned object.
   *
   * A name already in use is refused unless `replace: true`; replacing commits the new array in
   * place of the old one (holders of the old array keep it, unchanged). Two concurrent `alloc`s
   * of one name: one commits, the other gets `HEAVY_EXISTS` (or, with `replace`, commits after it).
   *
   * @throws TheusError, with the state unchanged: `HEAVY_INVALID` for a name that is not a simple
   *   key, an unknown type, a length that is not a whole number from 0 to 4 GiB worth of elements,
   *   unknown options, or a `heavy` layer that is not an object; `HEAVY_EXISTS` for a name in use;
   *   `HEAVY_ALLOC_FAILED` when the memory cannot be allocated; `ENGINE_CLOSED` after
   *   `engine.close()`. Each names the path (`details.path`, `heavy.<name>`).
   */
  async alloc<TType extends HeavyType>(name: string, options: HeavyAllocOptions<TType>): Promise<HeavyArrayTypes[TType]> {
    this.#host.assertOpen?.();
    const request = readAllocRequest(name, options);
    // Refused before allocating when the committed state already says so; checked again in the commit.
    checkSlot(request, getChild(this.#host.state(), 'heavy'));
    const array = allocate(request);
    await this.#host.edit((draft) => {
      const layer = draft.heavy;
      if (layer === undefined || layer === null) {
        draft.heavy = { [request.name]: array };
        return;
      }
      checkSlot(request, layer);
      (layer as Record<string, unknown>)[request.name] = array;
    });
    return array as HeavyArrayTypes[TType];
  }

  /**
   * The binary committed at `heavy.<name>`, or `undefined` when there is none (nothing there,
   * or a value that is not binary, such as an object grouping several arrays).
   *
   * @throws TheusError (`HEAVY_INVALID`) when `name` is not a simple key.
   */
  get(name: string): HeavyValue | undefined {
    const key = checkHeavyName(name, 'engine.heavy.get()');
    const value = getChild(getChild(this.#host.state(), 'heavy'), key);
    return isBinary(value) ? value : undefined;
  }
}

/** Throws when `heavy.<name>` cannot take the new array: the layer is not an object, or the name is taken. */
function checkSlot(request: AllocRequest, layer: unknown): void {
  if (layer === undefined || layer === null) return;
  if (typeof layer !== 'object' || Array.isArray(layer) || isBinary(layer)) {
    throw new TheusError(
      'HEAVY_INVALID',
      `engine.heavy.alloc('${request.name}'): the 'heavy' layer holds ${describe(layer)}, not an object of named arrays, so '${request.path}' cannot be added: make 'heavy' an object (engine.edit(d => { d.heavy = {} })) or use a 'heavy_' key elsewhere.`,
      { details: { path: request.path, field: 'layer' } },
    );
  }
  if (request.replace) return;
  const existing = getChild(layer, request.name);
  if (existing === undefined) return;
  throw new TheusError(
    'HEAVY_EXISTS',
    `engine.heavy.alloc('${request.name}'): '${request.path}' already holds ${shown(existing)}: pass { replace: true } to replace it (in one commit; holders of the old array keep it), or choose another name.`,
    { details: { path: request.path } },
  );
}

/**
 * A new zeroed array on shared memory.
 *
 * @throws TheusError (`HEAVY_ALLOC_FAILED`) when the runtime has no `SharedArrayBuffer` or too little memory.
 */
function allocate(request: AllocRequest): HeavyArrayTypes[HeavyType] {
  if (typeof SharedArrayBuffer === 'undefined') {
    throw new TheusError(
      'HEAVY_ALLOC_FAILED',
      `engine.heavy.alloc('${request.name}'): this runtime has no SharedArrayBuffer (a browser page must be cross-origin isolated to have one), so '${request.path}' cannot be allocated.`,
      { details: { path: request.path } },
    );
  }
  try {
    return new request.construct(new SharedArrayBuffer(request.bytes));
  } catch (error) {
    throw new TheusError(
      'HEAVY_ALLOC_FAILED',
      `engine.heavy.alloc('${request.name}'): ${request.bytes} bytes of shared memory for '${request.path}' could not be allocated (${error instanceof Error ? error.message : String(error)}): allocate less, or free memory first.`,
      { details: { path: request.path, bytes: request.bytes }, cause: error },
    );
  }
}

/** A short description of what a slot holds, for the `HEAVY_EXISTS` message. */
function shown(value: unknown): string {
  if (ArrayBuffer.isView(value) && 'length' in value) return `a ${value.constructor.name} of ${String(value.length)} elements`;
  if (isBinary(value)) return `a ${value.constructor.name} of ${value.byteLength} bytes`;
  return describe(value);
}
