import { describe, expect, it } from 'vitest';
import { Engine } from 'theus';
import { sqliteStore } from 'theus/store/sqlite';
import { failure } from '../attacks/expect-failure.js';
import { storeFixture } from '../store/sqlite-helpers.js';
import { heavyOf } from './heavy-fixture.js';

const fixture = storeFixture();

describe('HEAVY values and a durable store', () => {
  it('the SQLite store does not persist binaries yet: alloc fails with STORE_WRITE_FAILED and changes nothing', async () => {
    const engine = new Engine({ context: { heavy: {}, domain: { n: 0 } }, store: sqliteStore({ path: fixture.tmp.file() }) });
    try {
      await engine.ready;
      const error = await failure(heavyOf(engine).alloc('x', { type: 'uint8', length: 4 }));
      expect(error.code).toBe('STORE_WRITE_FAILED');
      expect(error.message).toContain('heavy.x');
      expect(engine.state.heavy).toEqual({});
      expect(engine.version).toBe(0);
    } finally {
      await engine.close();
    }
  });
});
