/**
 * A few trials of the SIGKILL torture (`npm run torture` runs 1,000): a real child process
 * commits to a SQLite file from four writers and is killed with SIGKILL at a random moment; the
 * reopened file must hold every acknowledged commit, none partially.
 */
import { describe, expect, it } from 'vitest';
import { runTorture } from '../../torture/torture.js';

describe('SIGKILL during commits', () => {
  it('loses no acknowledged commit and leaves none partial', { timeout: 60_000 }, async () => {
    const report = await runTorture({ trials: 4, trialsPerFile: 2, killWhileOpening: 0.25 });
    expect(report.results.flatMap((result) => result.problems)).toEqual([]);
    expect(report.trials).toBe(4);
    expect(report.acknowledged).toBeGreaterThan(0);
  });
});
