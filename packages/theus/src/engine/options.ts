import type { StandardSchemaV1 } from '@standard-schema/spec';
import { TheusError } from '../errors/index.js';
import type { AnyProcess } from '../contract/process.js';
import { checkBudget } from '../flux/condition/index.js';
import { resolveInputLimits, type InputLimits, type ResolvedInputLimits } from '../yaml/limits.js';
import { DEFAULT_CONFLICT_POLICY, type ConflictPolicy } from '../transaction/backoff.js';
import type { Store } from '../store/store.js';
import type { AuditOption } from './engine-audit.js';
import { resolveOutboxOptions, type OutboxOptions, type ResolvedOutboxOptions } from '../outbox/outbox-options.js';

/** Options of `new Engine(...)`. */
export interface EngineOptions<TState extends object = Record<string, unknown>> {
  /** The initial context: layers such as `global`, `domain` and any namespace (version 0). */
  readonly context?: TState;
  /** Processes to register. */
  readonly processes?: readonly AnyProcess[];
  /** Guards and contract checks (default true); `false` = relaxed: any path readable and writable, still transactional. */
  readonly strict?: boolean;
  /** Copy-on-write and rollback (default true); `false` = training mode: in-place writes, no rollback, fastest. */
  readonly transactional?: boolean;
  /** Any commit made since a run started is a conflict, not only overlapping ones (default false). */
  readonly strictCas?: boolean;
  /** A Standard Schema (zod, valibot, arktype) every committed state must satisfy. */
  readonly schema?: StandardSchemaV1;
  /**
   * Where commits are recorded (default: `memoryStore()`). A durable store (`sqliteStore` of
   * `theus/store/sqlite`) restores its state when the engine opens it: `context` then only seeds an
   * empty store.
   */
  readonly store?: Store;
  /** Retries, back-off, queueing for turns on contended paths (`vipAfter`) and the write timeout; see docs/concepts.md, Concurrency. */
  readonly conflict?: Partial<ConflictPolicy>;
  /** The workflow safety trip (default 10,000 operations). */
  readonly maxOps?: number;
  /**
   * The work budget of each workflow condition evaluation, in units: one per list item, mapping
   * entry or character built, copied, compared or scanned (default 1,000,000; `Infinity` = off).
   */
  readonly conditionBudget?: number;
  /**
   * Bounds on workflow and state-machine definitions this engine loads (text size, nesting depth,
   * node count, alias expansions). Defaults: 1 MiB, depth 100, 100,000 nodes, 100 aliases.
   */
  readonly limits?: InputLimits;
  /** Audit rules enforced at every run's input and output gates: a loaded recipe, YAML text or an object. */
  readonly audit?: AuditOption;
  /** How many audit checks `engine.audit.logs()` keeps (default 1,000). */
  readonly auditLogSize?: number;
  /**
   * Outbox delivery: attempts before a message becomes a dead letter (`maxAttempts`, default 5),
   * the exponential back-off between attempts (`baseDelayMs` 100, `maxDelayMs` 30,000), handlers
   * in flight (`concurrency` 4) and how long a handler may take (`handlerTimeoutMs` 30,000).
   */
  readonly outbox?: OutboxOptions;
  /**
   * The worker threads of `parallel: true` processes (Node only): `size` threads at most (default:
   * the host's `os.availableParallelism()`), an idle one exits after `idleTimeoutMs` (default
   * 30,000), `execArgv` the threads' Node options (default: the main thread's, as Node does; e.g.
   * `['--import', 'tsx']` to run TypeScript process modules from an app not started under tsx).
   * The pool starts on the first parallel run and stops with `engine.close()`.
   */
  readonly workers?: WorkersOption;
}

/** The `workers` engine option: the pool that runs `parallel: true` processes. */
export interface WorkersOption {
  /** Threads at most (default: `os.availableParallelism()`). */
  readonly size?: number;
  /** How long an idle thread lives, in milliseconds (default 30,000; `Infinity`: until `close()`). */
  readonly idleTimeoutMs?: number;
  /** Node options of the threads (default: the main thread's). */
  readonly execArgv?: readonly string[];
}

/** Options after validation and defaults. */
export interface ResolvedOptions {
  readonly strict: boolean;
  readonly transactional: boolean;
  readonly strictCas: boolean;
  readonly schema: StandardSchemaV1 | undefined;
  readonly conflict: ConflictPolicy;
  readonly maxOps: number;
  /** The work budget of each condition evaluation. */
  readonly conditionBudget: number;
  /** Bounds on loaded definitions. */
  readonly limits: ResolvedInputLimits;
  readonly outbox: ResolvedOutboxOptions;
  /** The worker pool's settings, as given (its defaults need Node: the pool resolves them). */
  readonly workers: { readonly size?: number; readonly idleTimeoutMs?: number; readonly execArgv?: readonly string[] };
}

const KNOWN = new Set([
  'context',
  'processes',
  'strict',
  'transactional',
  'strictCas',
  'schema',
  'store',
  'conflict',
  'maxOps',
  'conditionBudget',
  'limits',
  'audit',
  'auditLogSize',
  'outbox',
  'workers',
]);

/** Validates engine options, naming any bad one. */
export function resolveOptions(options: EngineOptions<object>): ResolvedOptions {
  if (typeof options !== 'object' || options === null) bad('options', 'pass an options object');
  for (const key of Object.keys(options)) if (!KNOWN.has(key)) bad(key, `unknown option (known: ${[...KNOWN].join(', ')})`);
  const flag = (key: 'strict' | 'transactional' | 'strictCas', fallback: boolean): boolean => {
    const value = options[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') bad(key, 'must be true or false');
    return value;
  };
  const schema = options.schema;
  if (schema !== undefined && typeof (schema as Partial<StandardSchemaV1>)['~standard']?.validate !== 'function') {
    bad('schema', 'must be a Standard Schema validator (zod, valibot, arktype)');
  }
  const conflict = { ...DEFAULT_CONFLICT_POLICY, ...(options.conflict ?? {}) };
  for (const [key, value] of Object.entries(conflict)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) bad(`conflict.${key}`, 'must be a finite number >= 0');
  }
  const maxOps = options.maxOps ?? 10_000;
  if (!Number.isInteger(maxOps) || maxOps <= 0) bad('maxOps', 'must be a positive integer');
  const budget = options.conditionBudget;
  if (budget !== undefined && !(budget === Infinity || (Number.isSafeInteger(budget) && budget > 0))) {
    bad('conditionBudget', 'must be a positive integer (or Infinity to switch the budget off)');
  }
  checkStore(options.store, options.transactional === false);
  const limits = resolveInputLimits(options.limits);
  if (typeof limits === 'string') bad('limits', limits);
  return {
    strict: flag('strict', true),
    transactional: flag('transactional', true),
    strictCas: flag('strictCas', false),
    schema,
    conflict,
    maxOps,
    conditionBudget: checkBudget(budget),
    limits,
    outbox: resolveOutboxOptions(options.outbox),
    workers: checkWorkers(options.workers),
  };
}

/** Threads a pool may hold at most: a bound against a typo (`size: 1e6`) starting a million threads. */
const MAX_WORKERS = 1024;

/** Checks the `workers` option. */
function checkWorkers(workers: unknown): ResolvedOptions['workers'] {
  if (workers === undefined) return {};
  if (typeof workers !== 'object' || workers === null || Array.isArray(workers))
    bad('workers', 'must be an object { size, idleTimeoutMs, execArgv }');
  const given = workers as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (key !== 'size' && key !== 'idleTimeoutMs' && key !== 'execArgv')
      bad(`workers.${key}`, 'unknown option (known: size, idleTimeoutMs, execArgv)');
  }
  const { size, idleTimeoutMs, execArgv } = given;
  if (size !== undefined && !(Number.isInteger(size) && (size as number) >= 1 && (size as number) <= MAX_WORKERS)) {
    bad('workers.size', `must be an integer from 1 to ${String(MAX_WORKERS)}`);
  }
  if (idleTimeoutMs !== undefined && !(typeof idleTimeoutMs === 'number' && idleTimeoutMs >= 0 && !Number.isNaN(idleTimeoutMs))) {
    bad('workers.idleTimeoutMs', 'must be a number of milliseconds >= 0 (Infinity: threads live until engine.close())');
  }
  if (execArgv !== undefined && !(Array.isArray(execArgv) && execArgv.every((arg) => typeof arg === 'string'))) {
    bad('workers.execArgv', "must be an array of Node options, e.g. ['--import', 'tsx']");
  }
  return Object.freeze({
    ...(size === undefined ? {} : { size: size as number }),
    ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMs }),
    ...(execArgv === undefined ? {} : { execArgv: Object.freeze([...execArgv]) }),
  });
}

const STORE_METHODS = ['open', 'seed', 'append', 'history', 'oldestVersion', 'stateAt', 'close'] as const;

/** Checks the `store` option: a store made by `memoryStore()`, `sqliteStore()` or one implementing `Store`. */
function checkStore(store: unknown, training: boolean): void {
  if (store === undefined) return;
  if (training)
    bad('store', 'a training-mode engine (transactional: false) keeps no commits; remove the store, or drop transactional: false');
  const candidate = store as Partial<Record<string, unknown>> | null;
  if (typeof candidate !== 'object' || candidate === null) bad('store', 'must be a store such as memoryStore() or sqliteStore({ path })');
  const missing: string[] = STORE_METHODS.filter((name) => typeof candidate[name] !== 'function');
  if (typeof candidate.kind !== 'string') missing.unshift('kind');
  if (typeof candidate.groupCommits !== 'boolean') missing.push('groupCommits');
  if (typeof candidate.outbox !== 'object' || candidate.outbox === null) missing.push('outbox');
  if (missing.length > 0)
    bad('store', `must implement the Store interface (missing: ${missing.join(', ')}); use memoryStore() or sqliteStore({ path })`);
}

function bad(option: string, problem: string): never {
  throw new TheusError('ENGINE_INVALID_OPTION', `Engine option '${option}': ${problem}.`, { details: { option } });
}
