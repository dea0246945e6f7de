import { describe, expect, it } from 'vitest';
import { WorkflowError } from '../../errors/index.js';
import { ConditionSyntaxError, parseCondition, type ConditionScope } from './index.js';

/** Asserts that `source` is refused: at parse time, or with WORKFLOW_CONDITION when run. */
function refused(source: string, scope: ConditionScope): void {
  let condition;
  try {
    condition = parseCondition(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConditionSyntaxError);
    return;
  }
  let thrown: unknown;
  try {
    condition.evaluate(scope);
  } catch (error) {
    thrown = error;
  }
  expect(thrown, source).toBeInstanceOf(WorkflowError);
  expect((thrown as WorkflowError).code).toBe('WORKFLOW_CONDITION');
}

describe('conditions reach own data only', () => {
  let getterRan = 0;
  const withGetter = Object.defineProperty({}, 'secret', {
    get: () => {
      getterRan++;
      return 1;
    },
    enumerable: true,
  });
  const listWithGetter = Object.defineProperty([1, 2], 0, { get: () => (getterRan++, 1) });
  class Account {
    balance = 5;
    get doubled(): number {
      getterRan++;
      return this.balance * 2;
    }
  }
  const scope = { domain: { x: 1, items: [1] }, obj: withGetter, list: listWithGetter, account: new Account(), fn: () => 1, s: 'str' };

  it.each([
    'domain.constructor',
    'domain.__proto__',
    "domain['__proto__']",
    "domain['constructor']",
    'domain.hasOwnProperty',
    'domain.toString',
    'domain.x.toString',
    "domain.x['constructor']",
    "''.constructor",
    's.constructor',
    's.length',
    '[].map',
    'domain.items.map',
    'domain.items.length',
    'domain.items.constructor',
    'domain.constructor.constructor',
    "domain.get('constructor').constructor",
    'obj.secret',
    "obj['secret']",
    "obj.get('secret')",
    'obj.values()',
    'obj.items()',
    'obj == obj2',
    'str(obj)',
    'list[0]',
    '0 in list',
    'len(str(list))',
    'account.doubled',
    "account['doubled']",
    'fn.call',
    'fn()',
    'domain.x()',
    'constructor',
    '__proto__',
    'globalThis',
    'process',
    'eval',
    "__import__('os')",
    "open('x')",
    'domain.constructor("return 1")()',
    'domain.__defineGetter__',
    "getattr(domain, 'x')",
    'type(domain)',
  ])('refuses %s', (source) => {
    refused(source, { ...scope, obj2: { secret: 1 } });
  });

  it('never ran a getter', () => {
    expect(getterRan).toBe(0);
  });

  it('reads own data keys even when they shadow prototype names', () => {
    const data = JSON.parse('{"constructor": 1, "__proto__": 2, "toString": 3}') as Record<string, unknown>;
    expect(parseCondition("d.constructor + d['__proto__'] + d.toString").evaluate({ d: data })).toBe(6);
    expect(parseCondition('d.balance').evaluate({ d: new Account() })).toBe(5);
    const bare = Object.assign(Object.create(null) as object, { k: 1 });
    expect(parseCondition('d.k').evaluate({ d: Object.freeze(bare) })).toBe(1);
  });

  it('refuses a scope name that is a getter, on a scope read again and again (fresh or not), without running it', () => {
    let ran = 0;
    const scope = Object.freeze(
      Object.defineProperty({ domain: Object.freeze({ x: 1 }) }, 'layer', {
        get: () => {
          ran++;
          return { x: 1 };
        },
        enumerable: true,
      }),
    );
    const readsLayer = parseCondition('layer.x == 1');
    const readsDomain = parseCondition('domain.x == 1');
    for (const options of [{}, { freshScope: true }, {}, { freshScope: true }]) {
      expect(() => readsLayer.test(scope, options)).toThrow(/accessor/);
      expect(readsDomain.test(scope, options)).toBe(true);
    }
    expect(() => parseCondition('d.layer').test({ d: scope })).toThrow(/accessor/);
    expect(ran).toBe(0);
  });

  it('ignores a polluted Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = 'yes';
    try {
      refused('d.polluted', { d: Object.freeze({ a: 1 }) });
      refused('d.polluted', { d: { a: 1 } });
      refused('polluted', {});
    } finally {
      delete proto.polluted;
    }
  });

  it('does not build dict literals with a prototype from __proto__', () => {
    const value = parseCondition("{'__proto__': {'x': 1}}").evaluate({}) as object;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
  });

  it('does not let evaluate() results alias the compiled constants', () => {
    const condition = parseCondition('[1, 2]');
    const first = condition.evaluate({}) as unknown[];
    expect(() => first.push(3)).toThrow(TypeError);
    expect(condition.evaluate({})).toEqual([1, 2]);
  });
});
