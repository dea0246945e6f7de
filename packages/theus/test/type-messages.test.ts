import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkCost } from '../bench/type-cost.js';

const SOURCE_INDEX = fileURLToPath(new URL('../src/index.ts', import.meta.url)).replace(/\.ts$/, '.js');

/**
 * The compiler's own messages for the misuses the type tests reject: each must name what is
 * wrong (the argument, the key, the value) or say what to do, never only the string overload or
 * a union of internal types. One program, checked once.
 */
const CASES = {
  missingArgs: 'void engine.execute(transfer);',
  wrongArg: "void engine.execute(transfer, { from: 'a', amount: '1' });",
  tupleValue: "t.process({ outputs: ['domain.total', 'domain.label'] }, () => [[], 5]);",
  tupleShort: "t.process({ outputs: ['domain.total', 'domain.label'] }, () => [1]);",
  updateKey: "t.process({ outputs: ['domain.total'] }, () => update({ 'domain.label': 'x' }));",
  updateBelow: "t.process({ outputs: ['domain.accounts'] }, () => update({ 'domain.accounts.bob.balanse': 1 }));",
  updateValue: "t.process({ outputs: ['domain.total'] }, () => update({ 'domain.total': 'x' }));",
  plainResult: "t.process({ outputs: ['domain.total', 'domain.label'] }, () => 'done');",
  stateWrite: 'engine.state.domain.total = 1;',
} as const;

const program = `import { createTheus, update } from '${SOURCE_INDEX}';
interface State { domain: { accounts: Record<string, { balance: number }>; total: number; label: string } }
const t = createTheus<State>();
const transfer = t.process({ inputs: ['domain.accounts'], outputs: ['domain.accounts'] }, (_ctx, _args: { from: string; amount: number }) => undefined);
const engine = t.engine({ context: { domain: { accounts: {}, total: 0, label: '' } }, processes: [transfer] });
${Object.values(CASES).join('\n')}
`;

describe('type errors that guide', () => {
  it('names the bad argument, key or value, and points at update() for a plain result', { timeout: 60_000 }, () => {
    const messages = checkCost(program).diagnostics;
    const all = messages.join('\n');
    expect(messages).toHaveLength(Object.keys(CASES).length + 1); // tupleValue reports both positions
    expect(all).not.toMatch(/parameter of type 'string'/);
    expect(all).toMatch(/Expected 2 arguments, but got 1/);
    expect(all).toMatch(/Type 'string' is not assignable to type 'number'/);
    expect(all).toMatch(/Type 'never\[\]' is not assignable to type 'number'/);
    expect(all).toMatch(/Type 'number' is not assignable to type 'string'/);
    expect(all).toMatch(/Source has 1 element\(s\) but target requires 2/);
    expect(all).toMatch(/update\(\) key 'domain\.label' is not among the process's outputs/);
    expect(all).toMatch(/update\(\) key 'domain\.accounts\.bob\.balanse' is not a path of the state.*"domain\.accounts\.bob\.balance"/);
    expect(all).toMatch(
      /Type 'string' is not assignable to type 'TypeHint<"With several outputs, .*update\(\{ \.\.\.writes \}, \{ result \}\)/,
    );
    expect(all).toMatch(/Cannot assign to 'total' because it is a read-only property/);
  });
});
