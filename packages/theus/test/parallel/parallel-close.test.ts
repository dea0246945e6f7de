/**
 * Pool shutdown: a program that ran parallel processes and closed its engine exits on its own (no
 * worker thread is left behind to hold it); idle threads never hold a program either.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inBuiltProject, BUILD_TSCONFIG } from './workers.js';

const CHILD = fileURLToPath(new URL('./fixtures/close-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Runs the child program; resolves to its exit code and output, or rejects if it is still running after `limitMs`. */
function runChild(args: readonly string[], limitMs: number): Promise<{ code: number | null; output: string }> {
  const env = { ...process.env, ...(inBuiltProject() ? { TSX_TSCONFIG_PATH: BUILD_TSCONFIG } : {}) };
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the child did not exit within ${String(limitMs)} ms: a thread held it. Output:\n${output}`));
    }, limitMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('pool shutdown', () => {
  it('engine.close() stops every worker thread: the program exits on its own', async () => {
    const { code, output } = await runChild([], 20_000);
    const report = lastReport(output);
    expect(report.counter).toBe(4);
    if (report.before >= 0) {
      // Linux: the OS threads of the pool are counted; after close() the process is back to its own.
      expect(report.running).toBeGreaterThanOrEqual(report.before + 2);
      expect(report.after).toBe(report.before);
    }
    expect(code).toBe(0);
  }, 30_000);

  it('idle worker threads do not hold a program that never closes its engine', async () => {
    const { code, output } = await runChild(['--no-close'], 20_000);
    expect(lastReport(output).counter).toBe(4);
    expect(code).toBe(0);
  }, 30_000);
});

interface Report {
  readonly counter: number;
  readonly before: number;
  readonly running: number;
  readonly after: number;
}

function lastReport(output: string): Report {
  const line = output.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as Report;
  } catch {
    throw new Error(`the child printed no report:\n${output}`);
  }
}
