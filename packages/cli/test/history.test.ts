import { Engine } from 'theus';
import { sqliteStore } from 'theus/store/sqlite';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliProject, type CliProject } from './cli-project.js';
import { writeCounter } from './counter-project.js';

let project: CliProject;

beforeEach(() => {
  project = cliProject();
  writeCounter(project);
});
afterEach(() => project.remove());

describe('theus history', () => {
  it('lists the commits of a store newest first, with the paths written', async () => {
    expect((await project.run('run', 'workflows/count.yaml', '--context', 'specs/initial_context.yaml', '--store', 'theus.db')).code).toBe(
      0,
    );
    const result = await project.run('history');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('theus.db: version 3, 3 commits shown (newest first)');
    expect(lines[1]).toMatch(/^Version\s+Time\s+Process\s+Wrote$/);
    expect(lines.slice(2).map((line) => line.split(/\s+/)[0])).toEqual(['3', '2', '1']);
    expect(lines[2]).toMatch(/^3\s+\d{4}-\d\d-\d\dT[\d:.]+Z\s+increment\s+domain\.count$/);
  });

  it('narrows by --limit and --process and prints JSON without patch values', async () => {
    const file = join(project.dir, 'admin.db');
    const engine = await Engine.open({ context: { domain: { count: 0 } }, store: sqliteStore({ path: file }) });
    await engine.edit((draft: any) => {
      draft.domain.internal_token = 'hunter2-secret';
    });
    await engine.close();
    await project.run('run', 'workflows/count.yaml', '--store', 'admin.db');
    const limited = await project.run('history', '--store', 'admin.db', '--limit', '2', '--json');
    expect(limited.code).toBe(0);
    const output = JSON.parse(limited.stdout) as { version: number; commits: { version: number; process: string; writes: string[] }[] };
    expect(output.version).toBe(4);
    expect(output.commits.map((c) => c.version)).toEqual([4, 3]);
    const admin = await project.run('history', '--store', 'admin.db', '--process', 'engine.edit()', '--json');
    expect(JSON.parse(admin.stdout).commits).toMatchObject([{ version: 1, writes: ['domain.internal_token'] }]);
    expect(admin.stdout).not.toContain('hunter2');
    expect((await project.run('history', '--store', 'admin.db')).stdout).not.toContain('hunter2');
  });

  it('exits 2 for a missing store (never creating one) and a bad limit', async () => {
    const missing = await project.run('history', '--store', 'none.db');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("The store 'none.db' does not exist.");
    const limit = await project.run('history', '--store', 'none.db', '--limit', '-3');
    expect(limit.code).toBe(2);
  });

  it('exits 1 with the store error for a file that is not a Theus store, or one another engine holds', async () => {
    project.write({ 'notes.db': 'just some text, not SQLite at all'.repeat(100) });
    const garbage = await project.run('history', '--store', 'notes.db');
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toMatch(/STORE_(CORRUPT|NOT_THEUS|OPEN_FAILED)/);
    await project.run('run', 'workflows/count.yaml', '--context', 'specs/initial_context.yaml', '--store', 'held.db');
    const holder = await Engine.open({ store: sqliteStore({ path: join(project.dir, 'held.db') }) });
    try {
      const held = await project.run('history', '--store', 'held.db');
      expect(held.code).toBe(1);
      expect(held.stderr).toContain('STORE_OPEN_FAILED');
    } finally {
      await holder.close();
    }
  });
});
