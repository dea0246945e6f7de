import { describe, expect, it } from 'vitest';
import { Engine, process, type Patch } from 'theus';
import { codeOf } from './attacks/expect-failure.js';

type Accounts = Record<string, number>;

/** The committed accounts of an engine over `{ domain: { accounts } }`. */
const accountsOf = (engine: Engine): Accounts => (engine.state as unknown as { domain: { accounts: Accounts } }).domain.accounts;

const accounts = (n: number): Accounts => Object.fromEntries(Array.from({ length: n }, (_, i) => [`acc${i}`, 100]));

/** An engine over 200 accounts (a persistent record) that records each commit's patches. */
function bank(): { engine: Engine; patches: () => readonly Patch[] } {
  const engine = new Engine({ context: { domain: { accounts: accounts(200) } } });
  let last: readonly Patch[] = [];
  engine.on('commit', (event) => (last = event.patches));
  return { engine, patches: () => last };
}

const returns = (name: string, build: (accounts: Accounts) => unknown) =>
  process({ name, outputs: ['domain.accounts'] }, (ctx) => build(ctx.domain.accounts as Accounts));

describe('a plain object returned over a committed record ("return data")', () => {
  it('commits only the entries that changed, patched one by one, and keeps the record', async () => {
    const { engine, patches } = bank();
    const before = accountsOf(engine);
    await engine.execute(returns('transfer', (a) => ({ ...a, acc3: (a['acc3'] as number) - 5, acc7: (a['acc7'] as number) + 5 })));
    const after = accountsOf(engine);
    expect(after['acc3']).toBe(95);
    expect(after['acc7']).toBe(105);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(patches()).toEqual([
      { op: 'replace', path: ['domain', 'accounts', 'acc3'], value: 95 },
      { op: 'replace', path: ['domain', 'accounts', 'acc7'], value: 105 },
    ]);
    expect(engine.history().at(-1)?.writes).toEqual(['domain.accounts.acc3', 'domain.accounts.acc7']);
  });

  it('reads deletions and new keys (appended) as such, in plain-object order', async () => {
    const { engine, patches } = bank();
    await engine.execute(
      returns('reshape', (a) => {
        const rest: Accounts = { ...a };
        delete rest['acc0'];
        return { ...rest, fresh: 1 };
      }),
    );
    const keys = Object.keys(accountsOf(engine));
    expect(keys[0]).toBe('acc1');
    expect(keys.at(-1)).toBe('fresh');
    expect(keys).toHaveLength(200);
    expect(patches()).toEqual([
      { op: 'remove', path: ['domain', 'accounts', 'acc0'] },
      { op: 'add', path: ['domain', 'accounts', 'fresh'], value: 1 },
    ]);
  });

  it('returning the same entries commits nothing', async () => {
    const { engine } = bank();
    await engine.execute(returns('same', (a) => ({ ...a })));
    expect(engine.version).toBe(0);
  });

  it('a different key order is kept exactly (the whole value is sealed and replaced)', async () => {
    const { engine, patches } = bank();
    await engine.execute(returns('reorder', (a) => ({ acc9: 1, ...a })));
    expect(Object.keys(accountsOf(engine))[0]).toBe('acc9');
    expect(accountsOf(engine)['acc9']).toBe(100);
    expect(patches()).toHaveLength(1);
    expect(patches()[0]?.path).toEqual(['domain', 'accounts']);
  });

  it('keeps every value rule: nested objects are sealed, bad values and zone keys refused, state untouched', async () => {
    const { engine } = bank();
    await engine.execute(returns('nested', (a) => ({ ...a, acc1: { owner: 'ann', tags: ['x'] } })));
    const nested = accountsOf(engine)['acc1'] as unknown as { tags: string[] };
    expect(Object.isFrozen(nested) && Object.isFrozen(nested.tags)).toBe(true);
    const version = engine.version;
    expect(await codeOf(engine.execute(returns('nan', (a) => ({ ...a, acc2: Number.NaN }))))).toBe('TX_INVALID_VALUE');
    expect(await codeOf(engine.execute(returns('fn', (a) => ({ ...a, acc2: () => 1 }))))).toBe('TX_INVALID_VALUE');
    expect(await codeOf(engine.execute(returns('constKey', (a) => ({ ...a, const_limit: 5 }))))).toBe('CONTRACT_ZONE');
    expect(await codeOf(engine.execute(returns('nestedConst', (a) => ({ ...a, acc2: { const_x: 1 } }))))).toBe('CONTRACT_ZONE');
    expect(engine.version).toBe(version);
    expect(accountsOf(engine)['acc2']).toBe(100);
    // As anywhere in the value model, a key holding undefined is left out: here, deleted.
    await engine.execute(returns('undef', (a) => ({ ...a, acc2: undefined })));
    expect(Object.hasOwn(accountsOf(engine), 'acc2')).toBe(false);
    expect(engine.history().at(-1)?.writes).toEqual(['domain.accounts.acc2']);
  });

  it('accepts entries read through the draft (nested drafts stand for their committed values)', async () => {
    const engine = new Engine({
      context: { domain: { people: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`p${i}`, { age: i }])) } },
    });
    const birthday = process({ name: 'birthday', outputs: ['domain.people'] }, (ctx) => {
      const people = ctx.domain.people as Record<string, { age: number }>;
      return { ...people, p5: { age: (people['p5'] as { age: number }).age + 1 } };
    });
    const before = (engine.state as unknown as { domain: { people: Record<string, object> } }).domain.people;
    await engine.execute(birthday);
    const after = (engine.state as unknown as { domain: { people: Record<string, object> } }).domain.people;
    expect(after['p5']).toEqual({ age: 6 });
    expect(after['p6']).toBe(before['p6']);
    expect(engine.history().at(-1)?.writes).toEqual(['domain.people.p5']);
  });

  it('a commit to any account while it ran re-runs it (its spread read them all), and nothing is lost', async () => {
    const engine = new Engine({ context: { domain: { accounts: accounts(200) } } });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = process({ name: 'slow', outputs: ['domain.accounts'] }, async (ctx) => {
      const a = ctx.domain.accounts as Accounts;
      const next = { ...a, acc1: 1 };
      await gate;
      return next;
    });
    const other = process({ name: 'other', outputs: ['domain.accounts.acc2'] }, () => 2);
    const running = engine.execute(slow);
    await engine.execute(other);
    release();
    await running;
    // The spread read every key, so the commit to acc2 made it re-run on the fresh state.
    expect(accountsOf(engine)['acc1']).toBe(1);
    expect(accountsOf(engine)['acc2']).toBe(2);
  });
});

describe('a large record read as an input', () => {
  it('reads like a frozen plain object once read enough, and stands for the record when written back', async () => {
    const engine = new Engine({ context: { domain: { accounts: accounts(200), copy: {} } } });
    const seen: unknown[] = [];
    const report = process({ name: 'report', inputs: ['domain.accounts'], outputs: ['domain.copy'] }, (ctx) => {
      const a = ctx.domain.accounts as Accounts;
      seen.push(a);
      expect(Object.keys(a)).toHaveLength(200);
      expect(JSON.parse(JSON.stringify(a))).toEqual(accounts(200));
      expect(Object.isFrozen(a)).toBe(true);
      expect(() => {
        (a as Record<string, number>)['acc1'] = 0;
      }).toThrow(TypeError);
      return a;
    });
    for (let i = 0; i < 3; i++) await engine.execute(report);
    const state = engine.state as unknown as { domain: { accounts: Accounts; copy: Accounts } };
    // The input of the later runs is the version's cached plain view: the same object each run.
    expect(seen[2]).toBe(seen[1]);
    // Written back, any form of the input is the committed record itself, shared.
    expect(state.domain.copy).toBe(state.domain.accounts);
    expect(engine.version).toBe(1);
  });
});

describe('attack: what a returned object can do while it is compared with the record', () => {
  it('a foreign Proxy is refused without its traps running', async () => {
    const { engine } = bank();
    let trapped = 0;
    const sneaky = returns(
      'sneaky',
      (a) => new Proxy({ ...a }, { ownKeys: (t) => (trapped++, Reflect.ownKeys(t)), getPrototypeOf: () => (trapped++, Object.prototype) }),
    );
    expect(await codeOf(engine.execute(sneaky))).toBe('TX_INVALID_VALUE');
    expect(trapped).toBe(0);
    expect(engine.version).toBe(0);
  });

  it('a getter that reaches back into ctx while the commit is built finds the run over', async () => {
    const { engine } = bank();
    const backdoor = process({ name: 'backdoor', outputs: ['domain.accounts', 'domain.flag'] }, (ctx) => {
      const next: Record<string, unknown> = { ...(ctx.domain.accounts as Accounts) };
      Object.defineProperty(next, 'acc5', {
        enumerable: true,
        get: () => {
          ctx.domain.flag = 'written while finalizing';
          return 1;
        },
      });
      return { 'domain.accounts': next };
    });
    expect(await codeOf(engine.execute(backdoor))).toBe('CONTRACT_REVOKED');
    expect(engine.version).toBe(0);
    expect((engine.state as unknown as { domain: { flag?: string } }).domain.flag).toBeUndefined();
  });
});

describe('reading many keys of a record through its draft', () => {
  /** Runs `reader` (which reads `keys` accounts, then waits) while another run commits to account acc199; returns the reader's attempts. */
  async function attemptsWhileWritten(keys: number): Promise<number> {
    const engine = new Engine({ context: { domain: { accounts: accounts(400), total: 0 } } });
    let attempts = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const reader = process({ name: 'reader', inputs: ['domain.accounts'], outputs: ['domain.accounts', 'domain.total'] }, async (ctx) => {
      attempts++;
      const a = ctx.domain.accounts as Accounts;
      let sum = 0;
      for (let i = 0; i < keys; i++) sum += a[`acc${i}`] as number;
      await gate;
      ctx.domain.total = sum;
    });
    const writer = process({ name: 'writer', outputs: ['domain.accounts.acc399'] }, () => 1);
    const running = engine.execute(reader);
    await engine.execute(writer);
    release();
    await running;
    return attempts;
  }

  it('records each key read up to a point: a write to another key does not re-run the reader', async () => {
    expect(await attemptsWhileWritten(10)).toBe(1);
  });

  it('past 256 keys counts as reading the whole record: any write to it re-runs the reader', async () => {
    expect(await attemptsWhileWritten(300)).toBe(2);
  });
});
