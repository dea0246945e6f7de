/**
 * What every node of the multi-process tests runs (`node-child.ts`) and what the test process
 * opens its fresh engines with: one fixed context and four processes.
 *
 * - `increment`: one hot counter (`domain.counter`).
 * - `transfer`: moves an amount between two of {@link ACCOUNTS}, refusing to overdraw (`RangeError`).
 * - `append`: pushes a unique item onto one list (`domain.log`).
 * - `own`: writes a key under the node's own key, `domain.nodes[node][key]`: nodes never overlap.
 *
 * Each process counts its attempts ({@link attempts}): a run re-run after a conflict (local, or
 * refused by the database) counts once per attempt.
 *
 * @packageDocumentation
 */
import { createTheus } from 'theus';

/** The state of every node. */
export interface NodeState {
  domain: {
    counter: number;
    accounts: Record<string, number>;
    log: string[];
    nodes: Record<string, Record<string, number>>;
  };
}

/** The accounts of `transfer`. */
export const ACCOUNTS = ['a', 'b', 'c', 'd'] as const;
/** The opening balance of each account. */
export const OPENING_BALANCE = 100;

/** The context every node opens with (only the first one to open an empty schema seeds it). */
export const CONTEXT: NodeState = {
  domain: {
    counter: 0,
    accounts: Object.fromEntries(ACCOUNTS.map((account) => [account, OPENING_BALANCE])),
    log: [],
    nodes: {},
  },
};

/** The processes by name. */
export type OpKind = 'increment' | 'transfer' | 'append' | 'own';

/** The arguments of a `transfer`. */
export interface TransferArgs {
  readonly from: string;
  readonly to: string;
  readonly amount: number;
}

/** The arguments of an `own` write. */
export interface OwnArgs {
  readonly node: string;
  readonly key: string;
  readonly value: number;
}

/** How many attempts each process made in this process (module state: the child reports it). */
export const attempts: Record<OpKind, number> = { increment: 0, transfer: 0, append: 0, own: 0 };

const t = createTheus<NodeState>();

export const increment = t.process({ name: 'increment', inputs: ['domain.counter'], outputs: ['domain.counter'] }, (ctx) => {
  attempts.increment++;
  ctx.domain.counter += 1;
});

export const transfer = t.process(
  { name: 'transfer', inputs: ['domain.accounts'], outputs: ['domain.accounts'], errors: ['RangeError'] },
  (ctx, { from, to, amount }: TransferArgs) => {
    attempts.transfer++;
    const balance = ctx.domain.accounts[from] ?? 0;
    if (balance < amount) throw new RangeError(`account ${from} holds ${balance}, less than ${amount}`);
    ctx.domain.accounts[from] = balance - amount;
    ctx.domain.accounts[to] = (ctx.domain.accounts[to] ?? 0) + amount;
  },
);

export const append = t.process({ name: 'append', inputs: ['domain.log'], outputs: ['domain.log'] }, (ctx, { item }: { item: string }) => {
  attempts.append++;
  ctx.domain.log.push(item);
});

export const own = t.process({ name: 'own', outputs: ['domain.nodes'] }, (ctx, { node, key, value }: OwnArgs) => {
  attempts.own++;
  const mine = ctx.domain.nodes[node];
  if (mine === undefined) ctx.domain.nodes[node] = { [key]: value };
  else mine[key] = value;
});

/** Every process, for the engines. */
export const PROCESSES = [increment, transfer, append, own];
