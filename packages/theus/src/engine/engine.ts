import { ConflictError, ContractViolationError, TheusError } from '../errors/index.js';
import { describe, formatPath, parsePath } from '../context/paths.js';
import { isPlainObject, sealValue } from '../context/value-model.js';
import {
  process as defineProcess,
  isProcess,
  type AnyProcess,
  type CompiledContract,
  type ProcessDefinition,
  type ResultOf,
} from '../contract/process.js';
import { OPEN_ACCESS } from '../contract/access-tree.js';
import { runAttempt, type Attempt } from '../transaction/attempt.js';
import { validateArgs, validateInitial } from './validation.js';
import { Committer, conflictError } from '../transaction/committer.js';
import { backoffDelay, sleep, type ConflictPolicy } from '../transaction/backoff.js';
import { runTraining } from '../transaction/training-run.js';
import { memoryStore, type CommitRecord, type Store } from '../store/memory-store.js';
import type { SignalHub } from '../signals/index.js';
import { EngineSignalHub } from './engine-signal-hub.js';
import { EngineAudit } from './engine-audit.js';
import { createMachine, executeWorkflow, type ExecuteWorkflowOptions, type WorkflowHost, type WorkflowRun } from './engine-workflows.js';
import { conditionScope, CONDITION_NAMES } from './condition-scope.js';
import type { Workflow } from '../flux/index.js';
import type { Machine, MachineOptions } from '../fsm/index.js';
import { EventHub, type EngineEvents } from './events.js';
import { resolveOptions, type EngineOptions, type ResolvedOptions } from './options.js';
import { checkLayers, schemaLayers } from './layers.js';

/** A draft of the whole state handed to `engine.edit` (admin rights, zone rules still apply to CONST). */
export type EditDraft<TState> = TState & Record<string, unknown>;

/** What `compareAndSwap` writes: data by dotted path, and signals by topic. */
export interface CasChanges {
  readonly data?: Readonly<Record<string, unknown>>;
  readonly signals?: Readonly<Record<string, unknown>>;
}

const EDIT_CONTRACT = adminContract('engine.edit()');
const CAS_CONTRACT = adminContract('engine.compareAndSwap()');

/** One commit as `engine.history()` lists it: the stored record plus the dotted paths it wrote. */
export interface CommitEntry extends CommitRecord {
  readonly writes: readonly string[];
}

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
  #live: Record<string, unknown> | undefined;
  #host: WorkflowHost | undefined;
  #liveVersion = 0;
  #closed = false;

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
    if (this.#options.transactional) {
      const root = sealValue(context, { who: 'The initial context', path: [], zone: 'DATA' }) as object;
      this.#committer = new Committer(
        { version: 0, root, signals: new Map() },
        this.#events,
        this.#options.schema,
        conflict.writeTimeoutMs,
        this.#store,
      );
      validateInitial(this.#options.schema, root);
    } else {
      this.#live = structuredClone(context);
      this.#committer = new Committer(
        { version: 0, root: {}, signals: new Map() },
        this.#events,
        undefined,
        conflict.writeTimeoutMs,
        this.#store,
      );
    }
    this.#events.on('signal', (event) => this.signals.publish(event.topic, event.payload, event.version));
    if (options.processes !== undefined) this.register(options.processes);
  }

  /** The committed context: deeply frozen (in training mode, the live mutable tree). */
  get state(): TState {
    return (this.#live ?? this.#committer.snapshot.root) as TState;
  }

  /** The committed version: +1 per commit that changed something. */
  get version(): number {
    return this.#live === undefined ? this.#committer.snapshot.version : this.#liveVersion;
  }

  /** Registers processes; a second process with a registered name is rejected. */
  register(processes: AnyProcess | readonly AnyProcess[]): this {
    const list = Array.isArray(processes) ? (processes as readonly AnyProcess[]) : [processes as AnyProcess];
    for (const p of list) {
      if (!isProcess(p)) {
        throw new ContractViolationError(
          'CONTRACT_INVALID',
          `engine.register() expects processes made with process(), got ${describe(p)}.`,
        );
      }
      const existing = this.#registry.get(p.name);
      if (existing !== undefined && existing !== p) {
        throw new ContractViolationError(
          'CONTRACT_DUPLICATE',
          `A different process named '${p.name}' is already registered: give one of them another name.`,
          { details: { process: p.name } },
        );
      }
      checkLayers(p.contract, this.#layers);
      this.#registry.set(p.name, p);
    }
    return this;
  }

  /** The registered process names. */
  get processes(): readonly string[] {
    return [...this.#registry.keys()];
  }

  /**
   * Imports every module under `dir` and registers the processes it exports (Node only).
   * A module that fails to import is reported with its path, not skipped.
   */
  async scan(dir: string): Promise<readonly string[]> {
    const specifier = './scan-directory.js';
    const { scanDirectory } = (await import(/* @vite-ignore */ specifier)) as typeof import('./scan-directory.js');
    const found = await scanDirectory(dir);
    this.register(found);
    return found.map((p) => p.name);
  }

  /** Subscribes to engine events; returns the unsubscribe function. */
  on<K extends keyof EngineEvents>(event: K, listener: (event: EngineEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  /** The commits the store holds, oldest first: version, process, arguments, written paths, patches and time. */
  history(): readonly CommitEntry[] {
    return this.#store.commits().map((record) => ({ ...record, writes: record.patches.map((patch) => formatPath(patch.path)) }));
  }

  /**
   * Runs a process (by name or definition) transactionally and resolves to its result.
   * Conflicts re-run it with back-off; any error rolls everything back.
   */
  execute<TArgs, TReturn>(
    process: ProcessDefinition<TArgs, TReturn>,
    ...args: undefined extends TArgs ? [args?: TArgs] : [args: TArgs]
  ): Promise<ResultOf<TReturn>>;
  execute(process: string, args?: unknown): Promise<unknown>;
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
    const body = (ctx: unknown): unknown => (definition.fn as (ctx: unknown, args: unknown) => unknown)(ctx, input);
    if (this.#live !== undefined) return this.#runTraining(definition, input, body);
    return this.#transact(definition.contract, this.#options.strict ? 'process' : 'open', body, input);
  }

  async #runTraining(definition: AnyProcess, input: unknown, body: (ctx: unknown) => unknown): Promise<unknown> {
    const live = this.#live as Record<string, unknown>;
    this.audit.check(definition.name, 'input', input, live);
    const { result } = await runTraining(live, definition.contract, this.#options.strict, body);
    this.#liveVersion++;
    this.audit.check(definition.name, 'output', input, live);
    return result;
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
    await this.#transact(EDIT_CONTRACT, 'admin', (_ctx, session) => recipe(session.root.proxy as EditDraft<TState>));
    return this.version;
  }

  /**
   * Commits `changes` if nothing they touch changed since `expectedVersion` (any change at all
   * with `strictCas`). Resolves to the new version; throws `ConflictError` otherwise.
   */
  async compareAndSwap(expectedVersion: number, changes: CasChanges): Promise<number> {
    this.#assertOpen();
    const current = this.version;
    if (!Number.isInteger(expectedVersion) || expectedVersion < 0 || expectedVersion > current) {
      throw new ConflictError(
        'TX_VERSION',
        `engine.compareAndSwap() expected version ${String(expectedVersion)}, but the engine is at version ${current}: pass a version you read from engine.version.`,
        {
          details: { expectedVersion, currentVersion: current },
        },
      );
    }
    const data = changes.data ?? {};
    const signals = changes.signals ?? {};
    const paths = Object.keys(data).map((key) => parsePath(key, 'engine.compareAndSwap() data'));
    const owner = Symbol('cas');
    const startedAt = Date.now();
    const snapshot = this.#committer.snapshot;
    const attempt = await runAttempt('admin', CAS_CONTRACT, snapshot.root, (ctx, session) => {
      paths.forEach((path, i) =>
        session.writeAt(path, data[Object.keys(data)[i] as string], data[Object.keys(data)[i] as string] === undefined),
      );
      for (const [topic, payload] of Object.entries(signals)) ctx.signal(topic, payload);
    });
    const outcome = await this.#committer.commit(
      {
        ...attempt,
        readPaths: [],
        process: CAS_CONTRACT.name,
        baseVersion: snapshot.version,
        startVersion: expectedVersion,
        startedAt,
        strict: this.#options.strictCas,
      },
      owner,
    );
    if (outcome.status === 'conflict') throw conflictError(CAS_CONTRACT.name, 1, outcome.path);
    return outcome.version;
  }

  /** Stops accepting work and closes the store. */
  close(): Promise<void> {
    this.#closed = true;
    this.signals.close();
    this.#store.close();
    return Promise.resolve();
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
  machine(definition: string | object, options?: MachineOptions & { readonly file?: string }): Machine {
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
      execute: (process, args) => engine.execute(process, args),
      scope: () => conditionScope(this.state as Record<string, unknown>, this.#committer.latchedSignals()),
      scopeNames: () => new Set([...Object.keys(this.state), ...(this.#layers ?? []), ...CONDITION_NAMES]),
    };
    return this.#host;
  }

  async #transact(
    contract: CompiledContract,
    kind: 'process' | 'open' | 'admin',
    body: Parameters<typeof runAttempt>[3],
    args?: unknown,
  ): Promise<unknown> {
    const policy: ConflictPolicy = this.#options.conflict;
    const owner = Symbol(contract.name);
    const startedAt = Date.now();
    let vip = false;
    const auditIn = kind !== 'admin' && this.audit.guards(contract.name, 'input');
    const auditOut = kind !== 'admin' && this.audit.guards(contract.name, 'output');
    // Success resets wait for the commit, so a run that fails later leaves no audit success behind.
    const deferredResets: string[] | undefined = auditIn || auditOut ? [] : undefined;
    const beforeInstall = auditOut
      ? (root: object) => this.audit.checkGuarded(contract.name, 'output', args, root, deferredResets, startedAt)
      : undefined;
    try {
      if (auditIn) this.audit.checkGuarded(contract.name, 'input', args, this.#committer.snapshot.root, deferredResets, startedAt);
      for (let attempt = 1; ; attempt++) {
        if (this.#committer.mustWaitForVip(owner)) await this.#committer.waitForVip(owner, contract.name, startedAt);
        const snapshot = this.#committer.snapshot;
        const pending = runAttempt(kind, contract, snapshot.root, body);
        const result: Attempt = pending instanceof Promise ? await pending : pending;
        const committing = this.#committer.commit(
          {
            root: result.root,
            patches: result.patches,
            inversePatches: result.inversePatches,
            readPaths: result.readPaths,
            effects: result.effects,
            result: result.result,
            process: contract.name,
            baseVersion: snapshot.version,
            startVersion: snapshot.version,
            startedAt,
            strict: this.#options.strictCas,
            args,
            beforeInstall,
          },
          owner,
        );
        const outcome = committing instanceof Promise ? await committing : committing;
        if (outcome.status !== 'conflict') {
          if (deferredResets !== undefined) this.audit.confirm(deferredResets);
          return result.result;
        }
        const giveUp = attempt > policy.maxRetries;
        const delayMs = giveUp ? undefined : backoffDelay(policy, attempt);
        this.#events.emit('conflict', {
          process: contract.name,
          attempt,
          startVersion: snapshot.version,
          currentVersion: outcome.currentVersion,
          path: outcome.path,
          delayMs,
        });
        if (delayMs === undefined) throw conflictError(contract.name, attempt, outcome.path);
        if (attempt >= policy.vipAfter && !vip) vip = this.#committer.acquireVip(owner);
        await sleep(delayMs);
      }
    } catch (error) {
      this.#events.emit('rollback', { process: contract.name, error, version: this.version });
      throw error;
    } finally {
      this.#committer.releaseVip(owner);
    }
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
    if (this.#closed) throw new TheusError('ENGINE_CLOSED', 'This engine was closed: create a new Engine to run more work.');
  }
}

function adminContract(name: string): CompiledContract {
  const base = defineProcess({ name }, () => undefined).contract;
  return { ...base, access: OPEN_ACCESS, emitsSignals: true };
}
