import { auditProcessOf, AuditTracker, loadAuditRecipe, processIssues, recipeIssues } from '../audit/index.js';
import type {
  AuditCounter,
  AuditGate,
  AuditFieldRef,
  AuditGateInput,
  AuditLogEntry,
  AuditOutcome,
  AuditRecipe,
  AuditRecipeInput,
  AuditRecipeIssue,
  AuditedProcess,
} from '../audit/index.js';
import { describeAbsence, isDeclaredField } from '../audit/recipe-binding.js';
import { invalidRecipe, locate } from '../audit/recipe-issues.js';
import { AuditError, AuditStopError } from '../errors/index.js';
import { getIn } from '../context/tree.js';
import { DEFAULT_INPUT_LIMITS, tooLargeMessage } from '../yaml/limits.js';
import { zoneOfSegment } from '../context/zones.js';
import type { EventHub } from './events.js';

/** An audit recipe as the `audit` engine option accepts it: loaded, YAML text, or a plain object. */
export type AuditOption = AuditRecipe | AuditRecipeInput | string;

/** @internal What the engine tells its audit about its processes and its state. */
export interface AuditHost {
  /** Every registered process (compiled contracts). */
  processes(): Iterable<AuditedProcess>;
  /** The current state. */
  state(): unknown;
  /** The layers the context schema allows, when it can say. */
  readonly layers: ReadonlySet<string> | undefined;
}

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
  /** The engine's processes and state, known from the first registration on. */
  #host: AuditHost | undefined;
  /** True once the recipe matched the registered processes (the first run, or `verify()`). */
  #started = false;
  /** The (process, gate, field) keys already warned about (bounded by the recipe's size). */
  readonly #warned = new Set<string>();
  readonly #absent = (reader: GateReader, field: string, ref: AuditFieldRef): void => this.#warnAbsent(reader, field, ref);

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

  /**
   * Checks the recipe against the registered processes and the current state now, and throws
   * `AuditError` (`AUDIT_RECIPE_INVALID`) listing, with their positions, every recipe entry that
   * names no registered process and every field that cannot resolve for its process. The engine
   * does the same at its first run; call this after registering (for example after
   * `await engine.scan(dir)`) to fail earlier. Does nothing without a recipe.
   *
   * @example
   * ```ts
   * const engine = new Engine({ context, audit: 'specs/audit.yaml' });
   * await engine.scan('src/processes');
   * engine.audit.verify(); // AUDIT_RECIPE_INVALID: specs/audit.yaml:3:3: the recipe of 'transfr' matches no registered process (did you mean 'transfer'?) ...
   * ```
   */
  verify(): void {
    const recipe = this.#tracker?.recipe;
    if (recipe === undefined) return;
    const host = this.#host;
    const issues = recipeIssues(recipe, {
      processes: host?.processes() ?? [],
      state: host?.state(),
      layers: host?.layers,
    });
    if (issues.length > 0) throw invalidRecipe(issues, START_WORDING);
    this.#started = true;
  }

  /**
   * @internal Called by `engine.register()` before `batch` is registered: the problems of their
   * recipes that their contracts and the context schema settle throw `AUDIT_RECIPE_INVALID`.
   * (What depends on the other processes and the state waits for the start: once the engine has
   * started, every recipe entry has its process, so a later registration adds none with a recipe.)
   */
  admit(batch: readonly AuditedProcess[], host: AuditHost): void {
    this.#host = host;
    const recipe = this.#tracker?.recipe;
    if (recipe === undefined) return;
    const issues: AuditRecipeIssue[] = [];
    const failing: string[] = [];
    for (const process of batch) {
      const found = processIssues(recipe, process, host.layers);
      if (found.length === 0) continue;
      failing.push(`'${process.name}'`);
      issues.push(...found);
    }
    if (issues.length === 0) return;
    throw invalidRecipe(issues, {
      title: `The audit recipe does not fit ${failing.length === 1 ? 'process' : 'processes'} ${failing.join(', ')}`,
      footer: 'Nothing was registered: fix the recipe (or the contract), then register again.',
    });
  }

  /** @internal Throws while halted, and at the first run when the recipe does not match the registered processes. */
  assertRunning(process: string): void {
    if (!this.#started && this.#tracker !== undefined && this.#host !== undefined) this.verify();
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
    const outcome = tracker.check(new GateReader(process, gate, args, root, deferredResets, time, this.#absent));
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

  /**
   * A field was absent in a check, so its rules were skipped. Unless its process declares it (an
   * argument of its args schema, a path it reads or writes), this may be a typo only the run can
   * show: one `warning` event per (process, gate, field), never one per run.
   */
  #warnAbsent(reader: GateReader, field: string, ref: AuditFieldRef): void {
    const { process, gate } = reader;
    const key = `${process}\u0000${gate}\u0000${field}`;
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    const recipe = this.#tracker?.recipe;
    // A PRIVATE path is never read (only a hand-built recipe can name one): nothing to say about it.
    if (recipe === undefined || (ref.kind === 'path' && isPrivatePath(ref.segments))) return;
    for (const contract of this.#host?.processes() ?? []) {
      if (contract.name === process && isDeclaredField(field, contract)) return;
    }
    const entry = auditProcessOf(recipe, process);
    const rule = (gate === 'input' ? entry?.inputs : entry?.outputs)?.find((r) => r.field === field);
    const where = rule?.fieldAt === undefined ? (rule?.where ?? recipe.file) : locate(recipe.file, rule.fieldAt, rule.fieldAt.path);
    const why = describeAbsence(field, ref.kind, reader.args, reader.root);
    const message =
      `Audit field '${field}' of process '${process}' (${gate} gate) was absent, so its rules were skipped: ${why}. ` +
      `If the field is misspelled, fix it in the recipe at ${where}; if it is optional, ignore this (it is reported once per engine).`;
    const event = Object.freeze({ code: 'AUDIT_FIELD_ABSENT' as const, message, process, gate, field, where });
    if (this.#events.has('warning')) this.#events.emit('warning', event);
    else console.warn(`theus: ${message}`);
  }
}

const START_WORDING = {
  title: 'The audit recipe does not match the registered processes',
  footer:
    'The recipe is checked against the registered processes when the engine starts (its first run) and by engine.audit.verify(): register every audited process before (the processes option, engine.register(), engine.scan()).',
};

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
    readonly args: unknown,
    readonly root: object,
    readonly deferredResets: string[] | undefined,
    readonly time: number | undefined,
    private readonly absent: (reader: GateReader, field: string, ref: AuditFieldRef) => void,
  ) {}

  skipped(field: string, ref: AuditFieldRef): void {
    this.absent(this, field, ref);
  }

  read(field: string, ref: AuditFieldRef): unknown {
    const args = this.args;
    if (typeof args === 'object' && args !== null && Object.hasOwn(args, field)) return (args as Record<string, unknown>)[field];
    // A loaded recipe never names PRIVATE paths; a hand-built one must not read them either.
    return ref.kind === 'path' && !isPrivatePath(ref.segments) ? getIn(this.root, ref.segments) : undefined;
  }
}

function isPrivatePath(segments: readonly string[]): boolean {
  // An index loop: recipe paths are frozen arrays, which for..of walks through an allocated iterator.
  for (let i = 0; i < segments.length; i++) if (zoneOfSegment(segments[i] as string) === 'PRIVATE') return true;
  return false;
}

function isLoaded(option: AuditOption): option is AuditRecipe {
  return typeof option === 'object' && Object.isFrozen(option) && 'processes' in option && 'defaults' in option;
}
