/**
 * The SIGKILL torture of the SQLite store: a child commits in a loop from several writers, the
 * parent kills it with SIGKILL at a random moment (while it recovers, too), reopens the file and
 * checks that no acknowledged commit was lost and none is partial (see `torture-model.ts`). The
 * same file carries on across trials, so recovery also runs on files that crashed before.
 *
 * @packageDocumentation
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from 'theus';
import { sqliteStore } from 'theus/store/sqlite';
import { problemsOf, type TortureState } from './torture-model.js';

const CHILD = fileURLToPath(new URL('./torture-child.ts', import.meta.url));

/** How to torture. */
export interface TortureOptions {
  readonly trials: number;
  /** Concurrent writers in the child (default 4: commits are grouped). */
  readonly writers?: number;
  /** The store's snapshot interval (default 25: snapshots are written and pruned often). */
  readonly snapshotEvery?: number;
  /** The latest moment of the kill, in ms after the child opened its store (or started), default 300. */
  readonly maxKillMs?: number;
  /** The share of trials killed at a random moment from the child's start, opening and recovery included (default 0.2). */
  readonly killWhileOpening?: number;
  /** A new file after this many trials (default 25). */
  readonly trialsPerFile?: number;
  /** Called after each trial. */
  readonly onTrial?: (trial: TrialResult) => void;
}

/** One trial's outcome. */
export interface TrialResult {
  readonly trial: number;
  readonly killedAfterMs: number;
  /** Commits acknowledged to the child's writers before the kill. */
  readonly acknowledged: number;
  /** Whether the child had opened the store (reported `ready`) before it was killed. */
  readonly opened: boolean;
  readonly version: number;
  readonly problems: readonly string[];
}

/** The whole run. */
export interface TortureReport {
  readonly trials: number;
  readonly failures: number;
  readonly acknowledged: number;
  readonly killedWhileOpening: number;
  readonly results: readonly TrialResult[];
}

/** Runs the torture and reports every trial. */
export async function runTorture(options: TortureOptions): Promise<TortureReport> {
  const writers = options.writers ?? 4;
  const snapshotEvery = options.snapshotEvery ?? 25;
  const maxKillMs = options.maxKillMs ?? 300;
  const whileOpening = options.killWhileOpening ?? 0.2;
  const perFile = options.trialsPerFile ?? 25;
  const dir = mkdtempSync(join(tmpdir(), 'theus-torture-'));
  const results: TrialResult[] = [];
  let before: Record<string, number> = {};
  let path = '';
  try {
    for (let trial = 1; trial <= options.trials; trial++) {
      if ((trial - 1) % perFile === 0) {
        path = join(dir, `torture-${String(trial)}.db`);
        before = {};
      }
      const killedAfterMs = Math.floor(Math.random() * maxKillMs);
      const run = await killedChild(path, writers, snapshotEvery, killedAfterMs, Math.random() < whileOpening);
      const engine = await Engine.open<TortureState>({
        context: { domain: { counts: {}, items: {} } },
        store: sqliteStore({ path, snapshotEvery }),
      });
      try {
        const pending = await engine.outbox.pending();
        const reopened = {
          version: engine.version,
          state: engine.state as TortureState,
          messages: pending.map((message) => message.payload as { writer: string; i: number }),
        };
        const problems = problemsOf(reopened, run.acked, before);
        before = { ...reopened.state.domain.counts };
        const result = { trial, killedAfterMs, acknowledged: run.acknowledged, opened: run.opened, version: engine.version, problems };
        results.push(result);
        options.onTrial?.(result);
      } finally {
        await engine.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    trials: results.length,
    failures: results.filter((result) => result.problems.length > 0).length,
    acknowledged: results.reduce((sum, result) => sum + result.acknowledged, 0),
    killedWhileOpening: results.filter((result) => !result.opened).length,
    results,
  };
}

/**
 * Starts the child, kills it with SIGKILL `killAfterMs` after it opened its store (after it
 * started, `fromStart`), and returns what it acknowledged.
 */
function killedChild(
  path: string,
  writers: number,
  snapshotEvery: number,
  killAfterMs: number,
  fromStart: boolean,
): Promise<{ acked: Map<string, number>; acknowledged: number; opened: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path, String(writers), String(snapshotEvery)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    const kill = (): void => void child.kill('SIGKILL');
    let timer: NodeJS.Timeout | undefined = fromStart ? setTimeout(kill, killAfterMs) : undefined;
    const acked = new Map<string, number>();
    let acknowledged = 0;
    let opened = false;
    let buffered = '';
    let errors = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [kind, writer, index] = line.split(' ');
        if (kind === 'ready') {
          opened = true;
          timer ??= setTimeout(kill, killAfterMs);
        }
        if (kind !== 'ack' || writer === undefined) continue;
        acked.set(writer, Math.max(acked.get(writer) ?? 0, Number(index)));
        acknowledged++;
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (errors += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`the torture child exited by itself (code ${String(code)}): ${errors}`));
      else resolve({ acked, acknowledged, opened });
    });
  });
}
