import { ContractViolationError, TheusError } from '../errors/index.js';
import { readHistoryQuery, type HistoryQuery } from './history-query.js';
import { historyOf, openSharedStore, openStore, stateAtVersion, type CommitEntry } from './store-access.js';
import { describe } from '../context/paths.js';
import { isPlainObject } from '../context/value-model.js';
import { isProcess, type AnyProcess, type ExecuteArgs, type ExecuteResult } from '../contract/process.js';
import type { DeepReadonly } from '../contract/path-types.js';
import { validateArgs } from './validation.js';
import { adminContract, compareAndSwap, type CasChanges } from './compare-and-swap.js';
import { type AdminBody, type ProcessBody } from '../transaction/attempt.js';
import { Committer } from '../transaction/committer.js';
import { Transactor } from './transactor.js';
import { checkProcessModule } from '../contract/process-module.js';
import { EngineParallel } from './engine-parallel.js';
import { TrainingRunner } from '../transaction/training-run.js';
import { memoryStore } from '../store/memory-store.js';
import type { OutboxEnvelope, SharedLog, Store } from '../store/store.js';
import { EngineOutbox } from '../outbox/engine-outbox.js';
import { EngineHeavy } from '../heavy/engine-heavy.js';
import { OutboxDispatcher } from '../outbox/outbox-dispatcher.js';
import type { SignalHub } from '../signals/index.js';
import { EngineSignalHub } from './engine-signal-hub.js';
import { EngineAudit } from './engine-audit.js';
import { createMachine, executeWorkflow, type ExecuteWorkflowOptions, type WorkflowHost, type WorkflowRun } from './engine-workflows.js';
import { conditionScope, CONDITION_NAMES } from './condition-scope.js';
import type { Workflow } from '../flux/index.js';
import type { Machine, MachineOptions } from '../fsm/index.js';
import type { InputLimits } from '../yaml/limits.js';
import { EventHub, type EngineEvents } from './events.js';
import { resolveOptions, type EngineOptions, type ResolvedOptions } from './options.js';
import { checkLayers, schemaLayers } from './layers.js';

export type { CommitEntry } from './store-access.js';

/** A draft of the whole state handed to `engine.edit` (admin rights, zone rules still apply to CONST). */
export type EditDraft<TState> = TState & Record<string, unknown>;
export type { CasChanges } from './compare-and-swap.js';

const EDIT_CONTRACT = adminContract('engine.edit()');
/** The state of an engine whose shared store is still opening (no run sees it: runs wait). */
const EMPTY_ROOT = Object.freeze({});

/**
 * The Theus engine: owns one versioned, deeply frozen context, runs processes behind their
 * contracts and commits their writes through one optimistic commit path.
 *
 * @example
 * ```ts
 * const engine = new Engine({ context: { domain: { accounts: { alice: 1000, bob: 0 } } }, processes: [transfer] });
 * await engine.execute('transfer', { from: 'alice', to: 'bob', amount: 500 });
 * engine.state.domain.accounts.bob; // 500
 * ```
 */
export class Engine<TState extends object = Record<string, unknown>> {
  readonly #options: ResolvedOptions;
  readonly #registry = new Map<string, AnyProcess>();
  readonly #events = new EventHub();
  readonly #committer: Committer;
  readonly #store: Store;
  readonly #layers: ReadonlySet<string> | undefined;
  /**
   * The engine's signal hub. Committed signals are published here once each, strictly after
   * their commit, never for a failed or retried run; `publish` may also be called directly.
   */
  readonly signals: SignalHub = new EngineSignalHub(() => this.#committer.latchedSignals());
  /** The audit rules this engine enforces, their counters and the log of every check. */
  readonly audit: EngineAudit;
  /**
   * The outbox: handlers for the messages processes add with `ctx.outbox.add(topic, payload)`,
   * delivered after their commit is durable, and the lists of those not delivered yet.
   */
  readonly outbox: EngineOutbox;
  /** The HEAVY zone: shared binary arrays committed by reference (`engine.heavy.alloc(name, { type, length })`). */
  readonly heavy: EngineHeavy = new EngineHeavy({
    edit: (recipe) => this.edit(recipe),
    state: () => this.state,
    assertOpen: () => this.#assertOpen(),
  });
  readonly #dispatcher: OutboxDispatcher;
  #live: Record<string, unknown> | undefined;
  /** Runs processes on the live tree in training mode (`transactional: false`). */
  #training: TrainingRunner | undefined;
  #host: WorkflowHost | undefined;
  #liveVersion = 0;
  #closed = false;
  /** The run loop every transactional run goes through; `close()` waits for its runs. */
  readonly #runs: Transactor;
  #closing: Promise<void> | undefined;
  /** Runs parallel processes in the worker pool, loaded on the first one (see {@link Engine.executeParallel}). */
  readonly #parallel: EngineParallel;

  constructor(options: EngineOptions<TState> = {}) {
    this.#options = resolveOptions(options);
    const context: unknown = options.context ?? {};
    if (!isPlainObject(context)) {
      throw new TheusError('ENGINE_INVALID_OPTION', `Engine option 'context' must be a plain object of layers, got ${describe(context)}.`, {
        details: { option: 'context' },
      });
    }
    this.#store = options.store ?? memoryStore();
    this.audit = new EngineAudit(options.audit, this.#events, options.auditLogSize === undefined ? {} : { logSize: options.auditLogSize });
    this.#layers = schemaLayers(this.#options.schema);
    const conflict = this.#options.conflict;
    this.#dispatcher = new OutboxDispatcher(this.#store.outbox, this.#options.outbox, (problem) =>
      console.error('theus: the outbox could not record a delivery in the store; the message may be delivered again.', problem),
    );
    this.outbox = new EngineOutbox(this.#dispatcher);
    const deliver = (messages: readonly OutboxEnvelope[]): void => this.#dispatcher.enqueue(messages);
    const shared = this.#options.transactional ? this.#store.shared : undefined;
    if (this.#options.transactional) {
      this.#committer = new Committer(
        shared === undefined
          ? openStore(this.#store, context, this.#options.schema, (entries) => this.#dispatcher.load(entries))
          : { version: 0, seq: 0, root: EMPTY_ROOT, signals: new Map() },
        this.#events,
        this.#options.schema,
        conflict.writeTimeoutMs,
        this.#store,
        deliver,
      );
    } else {
      this.#live = structuredClone(context);
      this.#training = new TrainingRunner(this.#live, this.#options.strict);
      this.#committer = new Committer(
        { version: 0, seq: 0, root: {}, signals: new Map() },
        this.#events,
        undefined,
        conflict.writeTimeoutMs,
        this.#store,
        deliver,
      );
    }
    this.#runs = new Transactor(this.#committer, this.#events, this.audit, this.#options);
    this.#parallel = new EngineParallel(this.#runs, this.#options.workers);
    this.#events.on('signal', (event) => this.signals.publish(event.topic, event.payload, event.version));
    if (options.processes !== undefined) this.register(options.processes);
    this.ready = shared === undefined ? Promise.resolve(this) : this.#openShared(shared, context);
    // Runs wait for the opening and fail with its error: an engine nobody awaits is no unhandled rejection.
    this.ready.catch(() => undefined);
  }

  /** Opens a shared store: the state it holds (or it is seeded), then following the other nodes. */
  async #openShared(shared: SharedLog, context: object): Promise<this> {
    const opening = openSharedStore(this.#store, shared, context, this.#options.schema, (entries) => this.#dispatcher.load(entries));
    const gate = opening.then(() => undefined);
    gate.catch(() => undefined);
    this.#committer.opening = gate;
    const snapshot = await opening;
    this.#committer.restore(snapshot);
    this.#committer.opening = undefined;
    shared.watch(() => this.#committer.catchUp());
    // Commits made before the store listened for notifications.
    this.#committer.catchUp();
    return this;
  }

  /**
   * Resolves to the engine once it has opened its store and restored its state. The memory and
   * SQLite stores open synchronously, so one that cannot be opened makes the constructor throw
   * `StoreError` and `ready` is already resolved; a store on a server (PostgreSQL) opens
   * asynchronously and `ready` rejects with its `StoreError`. Runs started before wait for it.
   * Await it (or use {@link Engine.open}).
   */
  readonly ready: Promise<this>;

  /**
   * Creates an engine and waits until its store is open and its state restored: `new Engine(options)`
   * then `await engine.ready`, in one call.
   *
   * @throws StoreError when the store cannot be opened (a missing directory, a file that is not a
   *   Theus database, from a newer format, or corrupt), naming the store and the path.
   * @example
   * ```ts
   * import { sqliteStore } from 'theus/store/sqlite';
   * const engine = await Engine.open({ context, processes, store: sqliteStore({ path: 'bank.db' }) });
   * ```
   */
  static async open<TState extends object = Record<string, unknown>>(options: EngineOptions<TState> = {}): Promise<Engine<TState>> {
    return new Engine(options).ready;
  }

  /**
   * The committed context: deeply frozen, and typed deeply read-only (in training mode, the live
   * tree, still typed read-only: change state through processes or `engine.edit()`).
   */
  get state(): DeepReadonly<TState> {
    return (this.#live ?? this.#committer.snapshot.root) as DeepReadonly<TState>;
  }

  /** The committed version: +1 per commit that changed something. */
  get version(): number {
    return this.#live === undefined ? this.#committer.snapshot.version : this.#liveVersion;
  }

  /**
   * Registers processes; a second process with a registered name is rejected. The audit recipe's
   * rules for them are checked first: a field that cannot resolve for its process throws
   * `AuditError` (`AUDIT_RECIPE_INVALID`, with the field's position). Either every process of the
   * call is registered, or none.
   */
  register(processes: AnyProcess | readonly AnyProcess[]): this {
    const list = Array.isArray(processes) ? (processes as readonly AnyProcess[]) : [processes as AnyProcess];
    const batch = new Map<string, AnyProcess>();
    for (const p of list) {
      if (!isProcess(p)) {
        throw new ContractViolationError(
          'CONTRACT_INVALID',
          `engine.register() expects processes made with process(), got ${describe(p)}.`,
        );
      }
      const existing = batch.get(p.name) ?? this.#registry.get(p.name);
      if (existing !== undefined && existing !== p) {
        throw new ContractViolationError(
          'CONTRACT_DUPLICATE',
          `A different process named '${p.name}' is already registered: give one of them another name.`,
          { details: { process: p.name } },
        );
      }
      checkLayers(p.contract, this.#layers);
      // A training-mode engine runs parallel processes inline: no worker needs to import them.
      if (p.contract.parallel && this.#options.transactional) checkProcessModule(p.name, p.contract.module);
      batch.set(p.name, p);
    }
    // Audit rules that cannot resolve for these processes are reported before any of them registers.
    this.audit.admit(
      [...batch.values()].map((p) => p.contract),
      {
        processes: () => [...this.#registry.values()].map((p) => p.contract),
        state: () => this.state,
        layers: this.#layers,
      },
    );
    for (const [name, p] of batch) this.#registry.set(name, p);
    return this;
  }

  /** The registered process names. */
  get processes(): readonly string[] {
    return [...this.#registry.keys()];
  }

  /**
   * Imports every module under `dir` and registers the processes it exports (Node only).
   * A module that fails to import is reported with its path, not skipped.
   *
   * The scanner is `scanDirectory` of the Node-only entry `theus/node`, loaded when `scan` is
   * called. Its specifier reaches `import()` as an argument, never as a literal (tsdown folds a
   * local constant into one), and carries Vite's and webpack's ignore hints: no bundler follows
   * it, so a browser bundle of `theus` holds no Node built-in (checked in CI by
   * `test/browser/bundle.test.ts`). Node resolves it beside this module, in `src/engine/` and
   * in `dist/` alike.
   *
   * @throws ContractViolationError (`CONTRACT_SCAN_FAILED`) outside Node, or when the directory
   * cannot be read or a module cannot be imported.
   */
  async scan(dir: string): Promise<readonly string[]> {
    const load = (specifier: string): Promise<unknown> => import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);
    let scanDirectory: typeof import('./node-files.js').scanDirectory;
    try {
      ({ scanDirectory } = (await load('./node-files.js')) as typeof import('./node-files.js'));
    } catch (error) {
      throw new ContractViolationError(
        'CONTRACT_SCAN_FAILED',
        `engine.scan() runs on Node only (it reads the file system) and could not load theus/node: ${error instanceof Error ? error.message : String(error)}. Elsewhere, import the process modules and pass them to engine.register().`,
        { details: { dir }, cause: error },
      );
    }
    const found = await scanDirectory(dir);
    this.register(found);
    return found.map((p) => p.name);
  }

  /** Subscribes to engine events; returns the unsubscribe function. */
  on<K extends keyof EngineEvents>(event: K, listener: (event: EngineEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  /**
   * The commits the store holds, oldest first: version, process, arguments, written paths,
   * patches and time; `query` narrows them to versions `from`..`to` (inclusive), one `process`,
   * and the newest `limit` of those. Entries are frozen (arguments are recorded as a frozen copy
   * at commit), so nothing read here can change the store, the conflict check or another reader.
   * Still readable after `close()`: closing stops new work, not the reading of what was committed
   * (a store that cannot be read once closed makes this throw `ENGINE_CLOSED`, saying so).
   *
   * @example
   * ```ts
   * engine.history({ process: 'transfer', limit: 10 }); // the last ten transfers
   * ```
   */
  history(query?: HistoryQuery): readonly CommitEntry[] {
    return historyOf(this.#store, readHistoryQuery(query), this.#closed);
  }

  /**
   * The committed state at `version` (deeply frozen, like `engine.state`), for any version the
   * store still holds: the memory store holds the last `capacity` commits and the state before
   * them. Rejects with `StoreError` (`STORE_VERSION_UNAVAILABLE`) for any other version.
   *
   * @example
   * ```ts
   * const before = await engine.stateAt(engine.version - 1);
   * ```
   */
  stateAt(version: number): Promise<DeepReadonly<TState>> {
    const store = this.#live === undefined ? this.#store : undefined;
    return stateAtVersion(store, version, this.#committer.snapshot) as Promise<DeepReadonly<TState>>;
  }

  /**
   * Runs a process (by name or definition) transactionally and resolves to its result.
   * Conflicts re-run it with back-off; any error rolls everything back. One signature for both
   * forms, so that a wrong or missing argument is reported against the process's own `args`.
   * A `parallel: true` process runs in a worker thread (see {@link Engine.executeParallel}); its
   * writes commit here, through the same checks.
   */
  execute<TProcess extends AnyProcess | string>(process: TProcess, ...args: ExecuteArgs<TProcess>): Promise<ExecuteResult<TProcess>>;
  execute(process: string | AnyProcess, args?: unknown): Promise<unknown> {
    // Not an async function: a run that needs no awaiting costs one promise, not two.
    try {
      this.#assertOpen();
      const definition = this.#resolve(process);
      this.audit.assertRunning(definition.name);
      const validated = validateArgs(definition.contract, args);
      return validated instanceof Promise
        ? (validated as Promise<unknown>).then((input) => this.#run(definition, input))
        : this.#run(definition, validated);
    } catch (error) {
      // Whatever was thrown (an Error in every Theus path) is passed on unchanged.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return Promise.reject(error);
    }
  }

  #run(definition: AnyProcess, input: unknown): Promise<unknown> {
    const body = definition.fn as unknown as ProcessBody;
    if (this.#training !== undefined) return this.#runTraining(this.#training, definition, input, body);
    const kind = this.#options.strict ? 'process' : 'open';
    if (definition.contract.parallel) return this.#parallel.run(definition.contract, kind, body, input);
    return this.#runs.transact(definition.contract, kind, body, input);
  }

  /**
   * Runs a process once per entry of `argsList`, all at once, and resolves to their results in
   * the same order. A `parallel: true` process runs each in a thread of the worker pool (the
   * `workers` option sizes it), so CPU-bound work uses every core; any other process runs
   * concurrently on this thread. Each run commits on its own, as with `execute` (a conflict
   * re-runs that one only).
   *
   * Unlike `Promise.all`, it settles only once every run has settled: when some fail, it rejects
   * with the first failure in `argsList` order, and the runs that succeeded stay committed.
   *
   * @example
   * ```ts
   * const sums = await engine.executeParallel(simulateChunk, [{ chunk: 0 }, { chunk: 1 }, { chunk: 2 }]);
   * ```
   */
  executeParallel<TProcess extends AnyProcess | string>(
    process: TProcess,
    argsList: readonly ExecuteArgs<TProcess>[0][],
  ): Promise<ExecuteResult<TProcess>[]>;
  async executeParallel(process: string | AnyProcess, argsList: readonly unknown[]): Promise<unknown[]> {
    if (!Array.isArray(argsList)) {
      throw new ContractViolationError(
        'CONTRACT_BAD_ARGS',
        `engine.executeParallel() takes a list of arguments, one per run, got ${describe(argsList)}: call engine.executeParallel(process, [{ ... }, { ... }]).`,
      );
    }
    const settled = await Promise.allSettled(argsList.map((args) => this.execute(process, args)));
    const failed = settled.find((outcome) => outcome.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return settled.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value);
  }

  /** A training-mode run: no promise is awaited unless the process returned one. */
  #runTraining(runner: TrainingRunner, definition: AnyProcess, input: unknown, body: ProcessBody): Promise<unknown> {
    const live = this.#live as Record<string, unknown>;
    const finish = (result: unknown): unknown => {
      this.#liveVersion++;
      this.audit.check(definition.name, 'output', input, live);
      return result;
    };
    this.audit.check(definition.name, 'input', input, live);
    const result = runner.run(definition.contract, body, input);
    return result instanceof Promise ? result.then(finish) : Promise.resolve(finish(result));
  }

  /**
   * Changes the state through the commit path with admin rights (set-up, migrations, tests).
   * `recipe` mutates a draft of the whole state; CONST values may be created, never changed.
   */
  async edit(recipe: (draft: EditDraft<TState>) => unknown): Promise<number> {
    this.#assertOpen();
    if (typeof recipe !== 'function')
      throw new ContractViolationError('CONTRACT_BAD_ARGS', 'engine.edit() expects a function that changes the draft.');
    if (this.#live !== undefined) {
      recipe(this.#live as EditDraft<TState>);
      return ++this.#liveVersion;
    }
    await this.#runs.transact(EDIT_CONTRACT, 'admin', ((_ctx, session) =>
      recipe(session.root.proxy as EditDraft<TState>)) satisfies AdminBody);
    return this.version;
  }

  /**
   * Commits `changes` if nothing they touch changed since `expectedVersion` (any change at all
   * with `strictCas`). Resolves to the new version; throws `ConflictError` otherwise.
   */
  async compareAndSwap(expectedVersion: number, changes: CasChanges): Promise<number> {
    this.#assertOpen();
    return compareAndSwap(this.#committer, this.#options.strictCas, this.version, expectedVersion, changes);
  }

  /**
   * Stops accepting work (later calls fail with `ENGINE_CLOSED`, nested runs of in-flight ones
   * included), waits for the runs in flight to commit or fail (each bounded by
   * `conflict.writeTimeoutMs`), then stops the worker threads of parallel processes and closes
   * the signal hub and the store. Nothing commits after the returned promise resolves, and no
   * thread of the engine is left to keep the program alive. Calling it again returns the same
   * promise.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  async #shutDown(): Promise<void> {
    this.#closed = true;
    // Parallel runs whose pool was still loading join the runs in flight first.
    await this.#parallel.started();
    await this.#runs.whenIdle();
    // No run is left to use the pool: its threads stop.
    await this.#parallel.close();
    // An engine closed while its shared store opens: the opening finishes (or fails) first.
    const opened = await this.ready.then(
      () => true,
      () => false,
    );
    await this.#committer.settled();
    this.#committer.close();
    this.signals.close();
    await this.#dispatcher.close();
    if (this.#store.shared === undefined) this.#store.close();
    else if (opened) await this.#store.shared.close();
  }

  /**
   * Runs a Flux workflow (a `.yaml` file path, YAML text, or a loaded workflow) on this engine.
   * Every problem in the file is reported before anything runs; process names are checked
   * against the registered processes. Resolves to `{ status: 'complete', executed, ops }`;
   * rejects with the run's `WorkflowError` (its `details.status` is `'failed'`).
   *
   * @example
   * ```ts
   * const run = await engine.executeWorkflow('workflows/order.yaml', { maxOps: 500 });
   * ```
   */
  executeWorkflow(source: string | Workflow, options?: ExecuteWorkflowOptions): Promise<WorkflowRun> {
    this.#assertOpen();
    return executeWorkflow(this.#workflowHost(), source, options);
  }

  /**
   * Builds a state machine (YAML text, an object, or a loaded definition) whose entries run as
   * this engine's processes and workflows; `connect()` turns committed signals into events.
   */
  machine(definition: string | object, options?: MachineOptions & { readonly file?: string; readonly limits?: InputLimits }): Machine {
    this.#assertOpen();
    return createMachine(this.#workflowHost(), definition, options);
  }

  /** Resumes an engine halted by a level-S audit failure; later runs execute again. */
  resume(): void {
    this.audit.resume();
  }

  #workflowHost(): WorkflowHost {
    if (this.#host !== undefined) return this.#host;
    const engine = this as Engine;
    this.#host = {
      get processes() {
        return engine.processes;
      },
      signals: this.signals,
      defaultMaxOps: this.#options.maxOps,
      defaultConditionBudget: this.#options.conditionBudget,
      limits: this.#options.limits,
      execute: (process, args) => engine.execute(process, args),
      scope: () => conditionScope(this.state as Record<string, unknown>, this.#committer.latchedSignals()),
      scopeNames: () => new Set([...Object.keys(this.state), ...(this.#layers ?? []), ...CONDITION_NAMES]),
    };
    return this.#host;
  }

  #resolve(process: string | AnyProcess): AnyProcess {
    if (isProcess(process)) {
      const registered = this.#registry.get(process.name);
      if (registered === undefined) this.register(process);
      else if (registered !== process) {
        throw new ContractViolationError(
          'CONTRACT_DUPLICATE',
          `A different process named '${process.name}' is already registered: execute it by name or rename one of them.`,
          { details: { process: process.name } },
        );
      }
      return process;
    }
    if (typeof process !== 'string') {
      throw new ContractViolationError(
        'CONTRACT_BAD_ARGS',
        `engine.execute() expects a process name or definition, got ${describe(process)}.`,
      );
    }
    const found = this.#registry.get(process);
    if (found === undefined) {
      const known = [...this.#registry.keys()];
      throw new ContractViolationError(
        'CONTRACT_UNKNOWN_PROCESS',
        `No process named '${process}' is registered (registered: ${known.length === 0 ? 'none' : known.join(', ')}): register it with engine.register() or the 'processes' option.`,
        {
          details: { process },
        },
      );
    }
    return found;
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new TheusError(
        'ENGINE_CLOSED',
        'This engine was closed (engine.close()): nothing more runs on it, runs started by in-flight runs included; create a new Engine to run more work.',
      );
    }
  }
}
