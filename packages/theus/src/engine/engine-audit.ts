import { AuditTracker, loadAuditRecipe } from '../audit/index.js';
import type {
  AuditCounter,
  AuditGate,
  AuditFieldRef,
  AuditGateInput,
  AuditLogEntry,
  AuditOutcome,
  AuditRecipe,
  AuditRecipeInput,
} from '../audit/index.js';
import { AuditError, AuditStopError } from '../errors/index.js';
import { getIn } from '../context/tree.js';
import { DEFAULT_INPUT_LIMITS, tooLargeMessage } from '../yaml/limits.js';
import { zoneOfSegment } from '../context/zones.js';
import type { EventHub } from './events.js';

/** An audit recipe as the `audit` engine option accepts it: loaded, YAML text, or a plain object. */
export type AuditOption = AuditRecipe | AuditRecipeInput | string;

/** Options of the engine's audit (the `auditLog` engine option). */
export interface EngineAuditOptions {
  /** How many checks the ring buffer keeps (default 1,000; 0 keeps none). */
  readonly logSize?: number;
}

/**
 * The audit of one engine (`engine.audit`): the recipe it enforces at the input and output gates,
 * the threshold counters and the ring buffer of every check. Nothing is shared between engines.
 */
export class EngineAudit {
  readonly #tracker: AuditTracker | undefined;
  readonly #events: EventHub;
  #halted: AuditStopError | undefined;

  /** @internal Built by the engine from its `audit` option. */
  constructor(option: AuditOption | undefined, events: EventHub, options: EngineAuditOptions = {}) {
    this.#events = events;
    if (option === undefined) return;
    const recipe = isLoaded(option)
      ? option
      : typeof option === 'string' && FILE_PATH.test(option)
        ? readRecipeFile(option)
        : loadAuditRecipe(option);
    this.#tracker = new AuditTracker(recipe, options.logSize === undefined ? {} : { logSize: options.logSize });
  }

  /** The enforced recipe, if any. */
  get recipe(): AuditRecipe | undefined {
    return this.#tracker?.recipe;
  }

  /** Every check (pass, fail or skipped), oldest first, up to the ring buffer's size. */
  logs(): readonly AuditLogEntry[] {
    return this.#tracker?.logs() ?? [];
  }

  /** The failure counter of one (process, gate, field). */
  counter(process: string, gate: AuditGate, field: string): number {
    return this.#tracker?.counter(process, gate, field) ?? 0;
  }

  /** Every non-zero counter. */
  counters(): readonly AuditCounter[] {
    return this.#tracker?.counters() ?? [];
  }

  /** The level-S failure that halted the engine, or `undefined` while it runs. */
  get halted(): AuditStopError | undefined {
    return this.#halted;
  }

  /** @internal Clears the halt (`engine.resume()`). */
  resume(): void {
    this.#halted = undefined;
  }

  /** @internal Throws while halted. */
  assertRunning(process: string): void {
    const halt = this.#halted;
    if (halt === undefined) return;
    throw new AuditStopError(
      'AUDIT_STOP',
      `The engine is halted by a level-S audit failure, so process '${process}' did not run. Inspect engine.audit.logs(), fix the cause, then call engine.resume().`,
      { details: { process }, cause: halt },
    );
  }

  /** True when the recipe has rules for this process at this gate. */
  guards(process: string, gate: AuditGate): boolean {
    const recipe = this.#tracker?.recipe;
    if (recipe === undefined) return false;
    const entry = recipe.processes[process];
    return entry !== undefined && (gate === 'input' ? entry.inputs : entry.outputs).length > 0;
  }

  /**
   * @internal Checks one gate: a rule's `field` is an argument of that name, else a dotted path
   * read from `root` (the snapshot at the input gate, the state about to be committed at the
   * output gate). Reports the outcome and throws its error for levels B, A and S (S also halts).
   */
  check(process: string, gate: AuditGate, args: unknown, root: object, deferredResets?: string[], time?: number): void {
    if (this.guards(process, gate)) this.checkGuarded(process, gate, args, root, deferredResets, time);
  }

  /** @internal {@link check} for a gate the caller already knows {@link guards}. */
  checkGuarded(process: string, gate: AuditGate, args: unknown, root: object, deferredResets?: string[], time?: number): void {
    const tracker = this.#tracker;
    if (tracker === undefined) return;
    const outcome = tracker.check(new GateReader(process, gate, args, root, deferredResets, time));
    if (outcome.action === 'pass') return;
    // Below min_threshold a failure is silent and level I only logs: both stay in the ring buffer.
    if (outcome.action !== 'count' && outcome.action !== 'info') this.#report(process, gate, outcome);
    if (outcome.error === undefined) return;
    if (outcome.error instanceof AuditStopError) this.#halted = outcome.error;
    throw outcome.error;
  }

  /** @internal Applies the success resets of a run that committed. */
  confirm(deferredResets: readonly string[]): void {
    if (deferredResets.length > 0) this.#tracker?.confirmResets(deferredResets);
  }

  #report(process: string, gate: AuditGate, outcome: AuditOutcome): void {
    this.#events.emit('audit', { process, gate, action: outcome.action, failures: outcome.failures });
  }
}

const FILE_PATH = /^[^\n:]*\.(ya?ml|json)$/i;

/** The parts of `node:fs` the synchronous recipe reader uses. */
interface SyncFs {
  openSync(path: string, flags: string): number;
  fstatSync(fd: number): { isFile(): boolean; size: number };
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: null): number;
  closeSync(fd: number): void;
}

/** Reads at most `maxBytes` of `path` (a device such as `/dev/zero` behind the name cannot hang the engine). */
function readBounded(fs: SyncFs, path: string, maxBytes: number): string {
  const fd = fs.openSync(path, 'r');
  try {
    const info = fs.fstatSync(fd);
    const tooLarge = (size: number, exact: boolean): AuditError =>
      new AuditError('AUDIT_RECIPE_INVALID', `${path}:1:1: ${tooLargeMessage(size, maxBytes, exact)}`, { details: { file: path } });
    if (info.isFile() && info.size > maxBytes) throw tooLarge(info.size, true);
    const buffer = new Uint8Array(maxBytes + 1);
    let total = 0;
    for (;;) {
      const read = fs.readSync(fd, buffer, total, buffer.length - total, null);
      if (read === 0) break;
      total += read;
      if (total > maxBytes) throw tooLarge(total, false);
    }
    return new TextDecoder('utf-8').decode(buffer.subarray(0, total));
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads a recipe file synchronously (the engine constructor is synchronous) through Node's
 * `process.getBuiltinModule`, so the core entry never imports `node:fs` and still loads in
 * browsers, where a file path is reported instead.
 */
function readRecipeFile(path: string): AuditRecipe {
  const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = host?.getBuiltinModule?.('node:fs') as SyncFs | undefined;
  if (fs === undefined) {
    throw new AuditError(
      'AUDIT_RECIPE_INVALID',
      `Cannot read the audit recipe file '${path}' outside Node: pass the recipe's text or object instead.`,
      {
        details: { file: path },
      },
    );
  }
  let text: string;
  try {
    text = readBounded(fs, path, DEFAULT_INPUT_LIMITS.maxInputBytes);
  } catch (error) {
    if (error instanceof AuditError) throw error;
    throw new AuditError('AUDIT_RECIPE_INVALID', `Cannot read the audit recipe file '${path}': ${(error as Error).message}.`, {
      details: { file: path },
      cause: error,
    });
  }
  return loadAuditRecipe(text, { file: path });
}

/**
 * One gate check's view of its inputs: a rule's `field` is an argument of that name, else a
 * dotted path read from `root`. A class rather than a closure per check: gates run on every run.
 */
class GateReader implements AuditGateInput {
  constructor(
    readonly process: string,
    readonly gate: AuditGate,
    private readonly args: unknown,
    private readonly root: object,
    readonly deferredResets: string[] | undefined,
    readonly time: number | undefined,
  ) {}

  read(field: string, ref: AuditFieldRef): unknown {
    const args = this.args;
    if (typeof args === 'object' && args !== null && Object.hasOwn(args, field)) return (args as Record<string, unknown>)[field];
    // A loaded recipe never names PRIVATE paths; a hand-built one must not read them either.
    return ref.kind === 'path' && !isPrivatePath(ref.segments) ? getIn(this.root, ref.segments) : undefined;
  }
}

function isPrivatePath(segments: readonly string[]): boolean {
  for (const segment of segments) if (zoneOfSegment(segment) === 'PRIVATE') return true;
  return false;
}

function isLoaded(option: AuditOption): option is AuditRecipe {
  return typeof option === 'object' && Object.isFrozen(option) && 'processes' in option && 'defaults' in option;
}
