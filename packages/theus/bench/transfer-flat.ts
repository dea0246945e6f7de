/**
 * Benchmark 2: one transfer on 10,000 accounts kept as ONE flat record
 * (`domain.accounts.acc0 ... acc9999`), Theus versus hand-written spread, Immer and Mutative.
 *
 * @packageDocumentation
 */
import { produceWithPatches } from 'immer';
import { create } from 'mutative';
import { process, update } from 'theus';
import {
  ACCOUNTS,
  START_BALANCE,
  accountKey,
  deepFreeze,
  makePairs,
  plainVariant,
  runTransferBench,
  theusVariant,
  type Pair,
  type TransferResults,
  type TransferVariant,
} from './transfer-common.js';

interface Account {
  balance: number;
}
interface FlatState {
  domain: { accounts: Record<string, Account> };
}
interface Args {
  from: string;
  to: string;
  amount: number;
}

/** Keeps the produced patches alive so no variant can skip building them. */
export let patchSink: unknown;

function initial(): FlatState {
  const accounts: Record<string, Account> = {};
  for (let i = 0; i < ACCOUNTS; i++) accounts[accountKey(i)] = { balance: START_BALANCE };
  return deepFreeze({ domain: { accounts } });
}

const total = (s: FlatState): number => Object.values(s.domain.accounts).reduce((sum, a) => sum + a.balance, 0);
const args = (p: Pair): Args => ({ from: p.from, to: p.to, amount: 1 });

const transferShadow = process(
  { name: 'transferShadow', inputs: ['domain.accounts'], outputs: ['domain.accounts'] },
  (ctx: FlatState, { from, to, amount }: Args) => {
    ctx.domain.accounts[from]!.balance -= amount;
    ctx.domain.accounts[to]!.balance += amount;
  },
);

const transferReturn = process(
  { name: 'transferReturn', inputs: ['domain.accounts'], outputs: ['domain.accounts'] },
  (ctx: FlatState, { from, to, amount }: Args) => {
    const a = ctx.domain.accounts[from]!.balance;
    const b = ctx.domain.accounts[to]!.balance;
    return update({ [`domain.accounts.${from}.balance`]: a - amount, [`domain.accounts.${to}.balance`]: b + amount });
  },
);

/** The hand-written immutable update: new frozen nodes on the path, patches and inverse patches. */
function spreadTransfer(s: FlatState, { from, to }: Pair): FlatState {
  const accounts = s.domain.accounts;
  const a = accounts[from]!;
  const b = accounts[to]!;
  const next = Object.freeze({
    ...accounts,
    [from]: Object.freeze({ ...a, balance: a.balance - 1 }),
    [to]: Object.freeze({ ...b, balance: b.balance + 1 }),
  });
  const root = Object.freeze({ ...s, domain: Object.freeze({ ...s.domain, accounts: next }) });
  patchSink = [
    [
      { op: 'replace', path: ['domain', 'accounts', from, 'balance'], value: a.balance - 1 },
      { op: 'replace', path: ['domain', 'accounts', to, 'balance'], value: b.balance + 1 },
    ],
    [
      { op: 'replace', path: ['domain', 'accounts', from, 'balance'], value: a.balance },
      { op: 'replace', path: ['domain', 'accounts', to, 'balance'], value: b.balance },
    ],
  ];
  return root;
}

function immerTransfer(s: FlatState, { from, to }: Pair): FlatState {
  const [next, patches, inverse] = produceWithPatches(s, (d) => {
    d.domain.accounts[from]!.balance -= 1;
    d.domain.accounts[to]!.balance += 1;
  });
  patchSink = [patches, inverse];
  return next;
}

function mutativeTransfer(s: FlatState, { from, to }: Pair): FlatState {
  const recipe = (d: FlatState): void => {
    d.domain.accounts[from]!.balance -= 1;
    d.domain.accounts[to]!.balance += 1;
  };
  const [next, patches, inverse] = create(s, recipe, { enablePatches: true, enableAutoFreeze: true });
  patchSink = [patches, inverse];
  return next;
}

const pairs = makePairs(ACCOUNTS);

const variants: readonly TransferVariant[] = [
  theusVariant('theus shadow', initial, transferShadow, args, pairs, total),
  theusVariant('theus return', initial, transferReturn, args, pairs, total),
  plainVariant('spread', initial, spreadTransfer, pairs, total),
  plainVariant('immer', initial, immerTransfer, pairs, total),
  plainVariant('mutative', initial, mutativeTransfer, pairs, total),
];

/** Runs benchmark 2 and returns ops/s by variant name. */
export function transferFlatBench(): Promise<TransferResults> {
  return runTransferBench('2. Transfer, 10,000 accounts in one flat record', variants, ['immer', 'spread']);
}
