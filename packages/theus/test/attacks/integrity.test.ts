import { describe, expect, it, vi } from 'vitest';
import { Engine, process, type CommitEvent, type Patch } from 'theus';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** Runs `attack` and reports whether it threw (ESM is strict: writes to frozen data throw). */
function attempt(attack: () => unknown): boolean {
  try {
    attack();
    return false;
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return true;
  }
}

const add = process({ name: 'add', inputs: ['domain.x'], outputs: ['domain.x'] }, (ctx, args: { by: number; tags?: string[] }) => {
  return (ctx.domain.x as number) + args.by;
});

describe('attack: history entries are frozen copies', () => {
  it('the recorded arguments are a frozen copy, not the caller object', async () => {
    const engine = new Engine({ context: { domain: { x: 0 } }, processes: [add] });
    const args = { by: 2, tags: ['a'] };
    await engine.execute(add, args);
    args.by = 99;
    args.tags.push('b');
    const [entry] = engine.history();
    expect(entry?.args).toEqual({ by: 2, tags: ['a'] });
    expect(entry?.args).not.toBe(args);
    expect(Object.isFrozen(args)).toBe(false);
  });

  const attacks: [string, (entry: ReturnType<Engine['history']>[number], list: ReturnType<Engine['history']>) => unknown][] = [
    ['assign args.by', (entry) => ((entry.args as { by: number }).by = 5)],
    ['push to args.tags', (entry) => (entry.args as { tags: string[] }).tags.push('z')],
    ['assign entry.version', (entry) => ((entry as { version: number }).version = 7)],
    ['rewrite a patch path segment', (entry) => ((entry.patches[0]?.path as (string | number)[])[1] = 'y')],
    ['replace a patch', (entry) => ((entry.patches as Patch[])[0] = { op: 'replace', path: ['domain', 'y'], value: 1 })],
    ['push a patch', (entry) => (entry.patches as Patch[]).push({ op: 'replace', path: ['domain', 'y'], value: 1 })],
    ['rewrite writes', (entry) => ((entry.writes as string[])[0] = 'domain.y')],
    ['truncate the list', (_entry, list) => ((list as unknown[]).length = 0)],
  ];
  for (const [name, attack] of attacks) {
    it(`${name} throws, and neither later history() calls nor conflict detection see it`, async () => {
      const engine = new Engine({ context: { domain: { x: 0, y: 0 } }, processes: [add] });
      const gate = deferred();
      // A run that read domain.x before the commit under attack: it must still conflict with it.
      const reader = process({ name: 'reader', inputs: ['domain.x'], outputs: ['domain.y'] }, async (ctx) => {
        const seen = ctx.domain.x as number;
        await gate.promise;
        return seen;
      });
      let readerRuns = 0;
      engine.on('conflict', (event) => {
        if (event.process === 'reader') readerRuns++;
      });
      const pending = engine.execute(reader);
      await engine.execute(add, { by: 2, tags: ['a'] });
      const list = engine.history();
      expect(attempt(() => attack(list[0] as never, list))).toBe(true);
      gate.resolve();
      await pending;
      expect(readerRuns).toBe(1);
      expect(engine.state.domain).toEqual({ x: 2, y: 2 });
      expect(engine.history()[0]).toMatchObject({ version: 1, args: { by: 2, tags: ['a'] }, writes: ['domain.x'] });
    });
  }

  it('arguments outside the value model are recorded as their JSON form, or as a note', async () => {
    const engine = new Engine({ context: { domain: { x: 0 } } });
    const noop = process({ name: 'noop', outputs: ['domain.x'] }, (_ctx, args: Record<string, unknown>) => Object.keys(args).length);
    const when = new Date(0);
    await engine.execute(noop, { when, fn: () => 1 });
    const big = { n: 10n };
    await engine.execute(noop, { big, other: 1, third: 3 });
    const [dated, unrecorded] = engine.history();
    expect(dated?.args).toEqual({ when: '1970-01-01T00:00:00.000Z' });
    expect(Object.isFrozen(dated?.args)).toBe(true);
    expect(unrecorded?.args).toMatchObject({ unrecorded: expect.stringMatching(/BigInt/) as unknown });
    expect(Object.isFrozen(unrecorded?.args)).toBe(true);
    expect(big.n).toBe(10n);
  });
});

describe('attack: commit events are frozen and cannot steer the conflict check', () => {
  const attacks: [string, (event: CommitEvent) => unknown][] = [
    ['rewrite a patch path', (event) => ((event.patches[0]?.path as (string | number)[])[1] = 'other')],
    ['replace the patch list entry', (event) => ((event.patches as Patch[])[0] = { op: 'replace', path: ['domain', 'other'], value: 1 })],
    ['empty the patch list', (event) => ((event.patches as Patch[]).length = 0)],
    ['rewrite an inverse patch', (event) => ((event.inversePatches[0] as { value: unknown }).value = 42)],
    ['assign the version', (event) => ((event as { version: number }).version = 99)],
    ['add a signal', (event) => ((event.signals as Record<string, unknown>).forged = true)],
  ];
  for (const [name, attack] of attacks) {
    it(`a listener that tries to ${name} fails, and a concurrent update is not lost`, async () => {
      const engine = new Engine({ context: { domain: { x: 0, other: 0 } } });
      const failures: boolean[] = [];
      engine.on('commit', (event) => failures.push(attempt(() => attack(event))));
      const gate = deferred();
      const slowIncrement = process({ name: 'slowIncrement', inputs: ['domain.x'], outputs: ['domain.x'] }, async (ctx) => {
        const seen = ctx.domain.x as number;
        await gate.promise;
        return seen + 1;
      });
      const fastIncrement = process(
        { name: 'fastIncrement', inputs: ['domain.x'], outputs: ['domain.x'] },
        (ctx) => (ctx.domain.x as number) + 1,
      );
      const slow = engine.execute(slowIncrement);
      await engine.execute(fastIncrement);
      gate.resolve();
      await slow;
      expect(failures.every(Boolean)).toBe(true);
      expect(failures.length).toBeGreaterThanOrEqual(2);
      expect(engine.state.domain.x).toBe(2);
      expect(engine.history().map((entry) => entry.writes)).toEqual([['domain.x'], ['domain.x']]);
    });
  }

  it('listeners of one commit see the same frozen event; each listener sees the truth', async () => {
    const engine = new Engine({ context: { domain: { x: 0 } } });
    const seen: CommitEvent[] = [];
    engine.on('commit', (event) => seen.push(event));
    engine.on('commit', (event) => seen.push(event));
    await engine.execute(process({ name: 'set', outputs: ['domain.x'] }, () => 5));
    expect(seen[0]).toBe(seen[1]);
    expect(Object.isFrozen(seen[0])).toBe(true);
    expect(Object.isFrozen(seen[0]?.patches)).toBe(true);
    expect(Object.isFrozen(seen[0]?.patches[0])).toBe(true);
    expect(Object.isFrozen(seen[0]?.patches[0]?.path)).toBe(true);
    expect(Object.isFrozen(seen[0]?.inversePatches)).toBe(true);
    expect(Object.isFrozen(seen[0]?.outbox)).toBe(true);
    expect(Object.isFrozen(seen[0]?.logs)).toBe(true);
  });
});

describe('attack: listeners that commit cannot lose or duplicate signals', () => {
  const emitter = (name: string, topic: string) =>
    process({ name, outputs: ['signal'] }, (ctx) => {
      ctx.signal(topic, { from: name });
    });

  for (const how of ['execute', 'edit'] as const) {
    it(`a commit listener that ${how}s publishes each committed signal once, with its own version`, async () => {
      const engine = new Engine({ context: { domain: { n: 0 } } });
      const first = emitter('first', 'alpha');
      const second = emitter('second', 'beta');
      const signals: [string, number][] = [];
      const commits: [number, string[]][] = [];
      engine.on('signal', (event) => signals.push([event.topic, event.version]));
      let reacted = false;
      engine.on('commit', (event) => {
        commits.push([event.version, Object.keys(event.signals)]);
        if (reacted) return;
        reacted = true;
        if (how === 'execute') void engine.execute(second);
        else void engine.edit((draft) => void ((draft as { signal?: Record<string, unknown> }).signal = { beta: { from: 'edit' } }));
      });
      await engine.execute(first);
      await tick();
      expect(signals).toEqual([
        ['alpha', 1],
        ['beta', 2],
      ]);
      expect(commits).toEqual([
        [1, ['alpha']],
        [2, ['beta']],
      ]);
    });
  }

  it('a subscriber of engine.signals receives every committed signal once, in version order', async () => {
    const engine = new Engine({ context: {} });
    const emitters = Array.from({ length: 5 }, (_, i) => emitter(`e${i}`, `t${i}`));
    const subscription = engine.signals.subscribe();
    engine.on('commit', (event) => {
      // Every commit triggers the next emitter from inside the listener.
      const next = emitters[event.version];
      if (next !== undefined) void engine.execute(next);
    });
    await engine.execute(emitters[0] as (typeof emitters)[number]);
    await tick();
    await tick();
    const received: [string, number][] = [];
    for await (const message of subscription) {
      received.push([message.topic, message.seq]);
      if (received.length === 5) break;
    }
    expect(received.map(([topic]) => topic)).toEqual(['t0', 't1', 't2', 't3', 't4']);
  });
});

describe('attack: nothing commits after close() resolved', () => {
  it('close() waits for a run in flight, which commits before close resolves; nothing after', async () => {
    const engine = new Engine({ context: { domain: { x: 0 } } });
    const gate = deferred();
    const slow = process({ name: 'slow', inputs: ['domain.x'], outputs: ['domain.x'] }, async (ctx) => {
      const seen = ctx.domain.x as number;
      await gate.promise;
      return seen + 1;
    });
    const running = engine.execute(slow);
    let closed = false;
    const closing = engine.close().then(() => (closed = true));
    await tick();
    expect(closed).toBe(false);
    await expect(engine.execute(slow)).rejects.toMatchObject({ code: 'ENGINE_CLOSED' });
    gate.resolve();
    await running;
    await closing;
    expect(engine.version).toBe(1);
    expect(engine.close()).toBe(engine.close());
    await expect(engine.edit((draft) => void ((draft as { domain: { x: number } }).domain.x = 9))).rejects.toMatchObject({
      code: 'ENGINE_CLOSED',
    });
    await expect(engine.compareAndSwap(engine.version, { data: { 'domain.x': 9 } })).rejects.toMatchObject({ code: 'ENGINE_CLOSED' });
    expect(engine.state.domain.x).toBe(1);
    expect(engine.version).toBe(1);
  });

  it('runs queued behind a contended path are drained by close(), not cut off mid-way', async () => {
    const engine = new Engine({ context: { domain: { x: 0 } } });
    const increment = process({ name: 'increment', inputs: ['domain.x'], outputs: ['domain.x'] }, async (ctx) => {
      const seen = ctx.domain.x as number;
      await tick();
      return seen + 1;
    });
    const runs = Array.from({ length: 20 }, () => engine.execute(increment));
    await engine.close();
    const outcomes = await Promise.allSettled(runs);
    expect(outcomes.every((o) => o.status === 'fulfilled')).toBe(true);
    const version = engine.version;
    expect(engine.state.domain.x).toBe(20);
    await tick();
    expect(engine.version).toBe(version);
  });

  it('a hung run delays close() only until its write timeout, then fails; its late settle commits nothing', async () => {
    const engine = new Engine({ context: { domain: { x: 0 } }, conflict: { writeTimeoutMs: 40 } });
    const late = deferred();
    const hung = process({ name: 'hung', inputs: ['domain.x'], outputs: ['domain.x'] }, async (ctx) => {
      const seen = ctx.domain.x as number;
      await late.promise;
      return seen + 1;
    });
    const running = engine.execute(hung).catch((e: unknown) => e);
    await engine.close();
    expect(await running).toMatchObject({ code: 'TX_WRITE_TIMEOUT' });
    const commits = vi.fn();
    engine.on('commit', commits);
    late.resolve();
    await tick();
    await tick();
    expect(commits).not.toHaveBeenCalled();
    expect(engine.version).toBe(0);
  });

  it('a run nested in a draining run fails with ENGINE_CLOSED instead of starting', async () => {
    const engine = new Engine({ context: { domain: { x: 0, y: 0 } } });
    const gate = deferred();
    const inner = process({ name: 'inner', outputs: ['domain.y'] }, () => 1);
    const outer = process({ name: 'outer', outputs: ['domain.x'], errors: ['TheusError'] }, async () => {
      await gate.promise;
      await engine.execute(inner);
      return 1;
    });
    const running = engine.execute(outer).catch((e: unknown) => e);
    const closing = engine.close();
    gate.resolve();
    expect(await running).toMatchObject({ code: 'ENGINE_CLOSED' });
    await closing;
    expect(engine.version).toBe(0);
  });
});
