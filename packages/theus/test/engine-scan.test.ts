/**
 * engine.scan(): loads the Node-only directory scanner (`theus/node`) at run time, from the
 * sources (project `source`) and from `dist/` (project `built`) alike, and registers every process
 * the modules under a folder export.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ContractViolationError, Engine } from 'theus';

const FOLDER = fileURLToPath(new URL('./fixtures/scan/', import.meta.url));

describe('engine.scan()', () => {
  it('registers the processes exported under a folder, subfolders included, and runs them', async () => {
    const engine = new Engine({ context: { domain: { greeting: '', count: 0 } } });
    expect(await engine.scan(FOLDER)).toEqual(['greet', 'count']);
    expect(engine.processes).toEqual(['greet', 'count']);
    await engine.execute('greet');
    await engine.execute('count');
    expect(engine.state.domain).toEqual({ greeting: 'hello', count: 1 });
  });

  it('names a folder it cannot read (CONTRACT_SCAN_FAILED)', async () => {
    const engine = new Engine({ context: { domain: {} } });
    const error = await engine.scan(`${FOLDER}missing`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error).toMatchObject({ code: 'CONTRACT_SCAN_FAILED' });
    expect((error as Error).message).toContain('missing');
  });
});
