import { describe, expect, it } from 'vitest';
import { Buffer } from 'node:buffer';
import { Engine, process, toPlain, type TheusError } from 'theus';
import { failure } from '../attacks/expect-failure.js';
import { heavyEngine, layerOf } from './heavy-fixture.js';

const shared = (length = 4): Float32Array<SharedArrayBuffer> => new Float32Array(new SharedArrayBuffer(length * 4));

/** The error `new Engine({ context })` throws. */
function contextError(context: Record<string, unknown>): TheusError {
  try {
    new Engine({ context });
  } catch (error) {
    return error as TheusError;
  }
  throw new Error('the engine accepted the context');
}

describe('binary values are valid only in the HEAVY zone', () => {
  it.each([
    ['a typed array', new Uint8Array(2)],
    ['an ArrayBuffer', new ArrayBuffer(2)],
    ['a SharedArrayBuffer', new SharedArrayBuffer(2)],
    ['a DataView', new DataView(new ArrayBuffer(2))],
    ['a Buffer', Buffer.from([1, 2])],
  ])('%s written by a process outside HEAVY: TX_INVALID_VALUE saying to move it under heavy_', async (_label, binary) => {
    const { engine } = heavyEngine();
    const write = process({ name: 'write', outputs: ['domain.blob'] }, () => binary);
    engine.register(write);
    const error = await failure(engine.execute(write));
    expect(error.code).toBe('TX_INVALID_VALUE');
    expect(error.details).toEqual({ path: 'domain.blob' });
    expect(error.message).toContain("Process 'write' wrote");
    expect(error.message).toContain("'domain.blob'");
    expect(error.message).toContain("move it under a 'heavy_' key or the 'heavy' layer");
    expect(engine.version).toBe(0);
  });

  it('in the initial context outside HEAVY: the same message', () => {
    const error = contextError({ domain: { frame: new Uint8Array(1) } });
    expect(error.code).toBe('TX_INVALID_VALUE');
    expect(error.details).toEqual({ path: 'domain.frame' });
    expect(error.message).toMatch(/move it under a 'heavy_' key/);
  });

  it('moved from HEAVY into DATA by a shadow write: refused at the binary', async () => {
    const { engine } = heavyEngine({ context: { heavy: { group: { a: shared() } }, domain: {} } });
    const move = process({ name: 'move', inputs: ['heavy.group'], outputs: ['domain.copy'] }, (ctx) => {
      (ctx.domain as Record<string, unknown>)['copy'] = (ctx.heavy as Record<string, unknown>)['group'];
    });
    engine.register(move);
    const error = await failure(engine.execute(move));
    expect(error.details).toEqual({ path: 'domain.copy.a' });
    expect(error.message).toMatch(/heavy_/);
    const edit = await failure(
      engine.edit((draft) => {
        (draft['domain'] as Record<string, unknown>)['copy'] = (draft['heavy'] as Record<string, unknown>)['group'];
      }),
    );
    expect(edit.details).toEqual({ path: 'domain.copy.a' });
    expect(engine.version).toBe(0);
  });

  it('accepts binaries below a heavy_ key inside DATA and keeps them by reference', async () => {
    const { engine } = heavyEngine();
    const frame = shared();
    const write = process({ name: 'write', outputs: ['domain.video'] }, () => ({ heavy_frames: [frame], fps: 30 }));
    engine.register(write);
    await engine.execute(write);
    const video = (engine.state['domain'] as Record<string, { heavy_frames: unknown[]; fps: number }>)['video'];
    expect(video?.heavy_frames[0]).toBe(frame);
    expect(video?.fps).toBe(30);
  });
});

describe('the HEAVY zone holds only binary data', () => {
  it.each([
    ['a number', 42, 'heavy.x', '42'],
    ['a string', 'text', 'heavy.x', 'string'],
    ['a boolean', true, 'heavy.x', 'boolean'],
    ['an array of numbers', [1, 2], 'heavy.x.0', '1'],
    ['an object holding a number', { data: shared(), shape: [2, 2] }, 'heavy.x.shape.0', '2'],
    ['a Date', new Date(0), 'heavy.x', 'Date'],
    ['a Map', new Map(), 'heavy.x', 'Map'],
  ])('%s returned for heavy.x: TX_INVALID_VALUE naming the path', async (_label, value, path, kind) => {
    const { engine } = heavyEngine();
    const before = engine.state;
    const write = process({ name: 'write', outputs: ['heavy.x'] }, () => value);
    engine.register(write);
    const error = await failure(engine.execute(write));
    expect(error.code).toBe('TX_INVALID_VALUE');
    expect(error.details).toEqual({ path, zone: 'HEAVY' });
    expect(error.message).toContain(`Process 'write' wrote ${kind} at '${path}', a HEAVY path`);
    expect(error.message).toContain('keep other values under a DATA path');
    expect(engine.state).toBe(before);
  });

  it('a shadow write of data under heavy, and data under a heavy_ key: refused', async () => {
    const { engine } = heavyEngine();
    const shadow = process({ name: 'shadow', outputs: ['heavy'] }, (ctx) => {
      (ctx.heavy as Record<string, unknown>)['count'] = 3;
    });
    const nested = process({ name: 'nested', outputs: ['domain.stats'] }, () => ({ heavy_sum: 12 }));
    engine.register([shadow, nested]);
    expect((await failure(engine.execute(shadow))).details).toEqual({ path: 'heavy.count', zone: 'HEAVY' });
    expect((await failure(engine.execute(nested))).details).toEqual({ path: 'domain.stats.heavy_sum', zone: 'HEAVY' });
    expect(engine.version).toBe(0);
  });

  it('in the initial context and in engine.edit: refused', async () => {
    expect(contextError({ heavy: { meta: { shape: 'x' } } }).details).toEqual({ path: 'heavy.meta.shape', zone: 'HEAVY' });
    const { engine } = heavyEngine();
    const error = await failure(
      engine.edit((draft) => {
        (draft['heavy'] as Record<string, unknown>)['n'] = 1;
      }),
    );
    expect(error.message).toContain("engine.edit() wrote 1 at 'heavy.n', a HEAVY path");
  });

  it('a committed DATA subtree moved or handed back into HEAVY: refused at its first value', async () => {
    const { engine } = heavyEngine({ context: { heavy: {}, domain: { cfg: { a: 1 } } } });
    const handBack = process({ name: 'handBack', inputs: ['domain.cfg'], outputs: ['heavy.cfg'] }, (ctx) => ctx.domain.cfg);
    engine.register(handBack);
    expect((await failure(engine.execute(handBack))).details).toEqual({ path: 'heavy.cfg.a', zone: 'HEAVY' });
    const move = await failure(
      engine.edit((draft) => {
        (draft['heavy'] as Record<string, unknown>)['cfg'] = (draft['domain'] as Record<string, unknown>)['cfg'];
      }),
    );
    expect(move.details).toEqual({ path: 'heavy.cfg.a', zone: 'HEAVY' });
    expect(engine.version).toBe(0);
  });

  it('accepts binaries of every kind, null, and plain objects or arrays grouping them', async () => {
    const views = {
      typed: shared(),
      raw: new ArrayBuffer(8),
      sab: new SharedArrayBuffer(8),
      view: new DataView(new ArrayBuffer(4)),
      buffer: Buffer.alloc(4),
      empty: null,
      frames: [shared(), null, { left: shared() }],
      nothing: {},
    };
    const { engine } = heavyEngine({ context: { heavy: views } });
    const layer = layerOf(engine);
    for (const key of ['typed', 'raw', 'sab', 'view', 'buffer'] as const) expect(layer[key]).toBe(views[key]);
    expect(layer['empty']).toBeNull();
    const frames = layer['frames'] as unknown[];
    expect(frames[0]).toBe(views.frames[0]);
    expect((frames[2] as { left: unknown }).left).toBe((views.frames[2] as { left: unknown }).left);
    // The grouping containers are committed state (frozen); the binaries are not.
    expect(Object.isFrozen(layer)).toBe(true);
    expect(Object.isFrozen(frames)).toBe(true);
    expect(Object.isFrozen(views.typed)).toBe(false);
  });

  it('accepts a large grouping object (a persistent record) of binaries, moved whole', async () => {
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, shared(1)]));
    const { engine } = heavyEngine({ context: { heavy: { many }, domain: {} } });
    await engine.edit((draft) => {
      const layer = draft['heavy'] as Record<string, unknown>;
      layer['again'] = layer['many'];
    });
    const layer = layerOf(engine);
    expect((layer['again'] as Record<string, unknown>)['k99']).toBe(many['k99']);
    const bad = await failure(
      engine.edit((draft) => {
        (draft['domain'] as Record<string, unknown>)['copy'] = (draft['heavy'] as Record<string, unknown>)['many'];
      }),
    );
    expect(bad.details).toEqual({ path: 'domain.copy.k0' });
  });
});

describe('HEAVY values are kept by reference: never frozen, copied or walked', () => {
  it('the committed state, the patches and toPlain hold the very object written', async () => {
    const { engine } = heavyEngine();
    const array = shared(1_000);
    const write = process({ name: 'write', outputs: ['heavy.x'] }, () => array);
    engine.register(write);
    const patches: unknown[] = [];
    engine.on('commit', (event) => patches.push(event.patches[0]?.value));
    await engine.execute(write);
    expect(layerOf(engine)['x']).toBe(array);
    expect(patches[0]).toBe(array);
    expect(engine.history()[0]?.patches[0]?.value).toBe(array);
    expect((toPlain(engine.state) as { heavy: { x: unknown } }).heavy.x).toBe(array);
    expect(Object.isFrozen(array)).toBe(false);
    expect(Object.isFrozen(array.buffer)).toBe(false);
  });

  it('never reads the elements of a binary (an element getter would run if it did)', async () => {
    const { engine } = heavyEngine();
    const array = shared(2);
    let reads = 0;
    Object.defineProperty(array, 'probe', {
      enumerable: true,
      get: () => {
        reads++;
        return 1;
      },
    });
    await engine.edit((draft) => {
      (draft['heavy'] as Record<string, unknown>)['x'] = array;
    });
    toPlain(engine.state);
    expect(reads).toBe(0);
    expect(layerOf(engine)['x']).toBe(array);
  });
});

describe('data that is not state has no zones', () => {
  it('accepts a heavy_ key holding data in arguments and outbox payloads', async () => {
    const { engine } = heavyEngine();
    const mail = process({ name: 'mail', outputs: ['domain.n'] }, (ctx, args: { heavy_mode: boolean }) => {
      ctx.outbox.add('mail', { heavy_user: args.heavy_mode });
      return 1;
    });
    engine.register(mail);
    await engine.execute(mail, { heavy_mode: true });
    expect(engine.history()[0]?.args).toEqual({ heavy_mode: true });
    expect((await engine.outbox.pending())[0]?.payload).toEqual({ heavy_user: true });
  });

  it('refuses a binary in an outbox payload, below a heavy_ key too', async () => {
    const { engine } = heavyEngine();
    const mail = process({ name: 'mail', outputs: ['domain.n'] }, (ctx) => {
      ctx.outbox.add('mail', { heavy_blob: new Uint8Array(4) });
      return 1;
    });
    engine.register(mail);
    const error = await failure(engine.execute(mail));
    expect(error.code).toBe('TX_INVALID_VALUE');
    expect(error.message).toMatch(/binary/);
    expect(engine.version).toBe(0);
  });
});
