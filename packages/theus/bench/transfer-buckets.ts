/**
 * Benchmark 3: the same transfer with the 10,000 accounts split into 100 buckets of 100
 * (`domain.accounts.b0.acc0 ...`, account `accN` lives in bucket `b<N/100>`).
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
  bucketKey,
  deepFreeze,
  makePairs,
  plainVariant,
  runTransferBench,
  theusVariant,
  type Pair,
  type TransferResults,
  type TransferVariant,
} from './transfer-common.js';

const PER_BUCKET = 100;

interface Account {
  balance: number;
}
interface BucketState {
  domain: { accounts: Record<string, Record<string, Account>> };
}

/** Keeps the produced patches alive so no variant can skip building them. */
export let patchSink: unknown;

function initial(): BucketState {
  const accounts: Record<string, Record<string, Account>> = {};
  for (let i = 0; i < ACCOUNTS; i++) (accounts[bucketKey(i, PER_BUCKET)] ??= {})[accountKey(i)] = { balance: START_BALANCE };
  return deepFreeze({ domain: { accounts } });
}

const total = (s: BucketState): number =>
  Object.values(s.domain.accounts).reduce((sum, bucket) => Object.values(bucket).reduce((t, a) => t + a.balance, sum), 0);
const args = (p: Pair): Pair & { amount: number } => ({ ...p, amount: 1 });

const transferShadow = process(
  { name: 'transferShadow', inputs: ['domain.accounts'], outputs: ['domain.accounts'] },
  (ctx: BucketState, { from, to, fromBucket, toBucket, amount }: Pair & { amount: number }) => {
    ctx.domain.accounts[fromBucket]![from]!.balance -= amount;
    ctx.domain.accounts[toBucket]![to]!.balance += amount;
  },
);

const transferReturn = process(
  { name: 'transferReturn', inputs: ['domain.accounts'], outputs: ['domain.accounts'] },
  (ctx: BucketState, { from, to, fromBucket, toBucket, amount }: Pair & { amount: number }) => {
    const a = ctx.domain.accounts[fromBucket]![from]!.balance;
    const b = ctx.domain.accounts[toBucket]![to]!.balance;
    return update({
      [`domain.accounts.${fromBucket}.${from}.balance`]: a - amount,
      [`domain.accounts.${toBucket}.${to}.balance`]: b + amount,
    });
  },
);

/** The hand-written immutable update: new frozen nodes on both paths, patches and inverse patches. */
function spreadTransfer(s: BucketState, { from, to, fromBucket, toBucket }: Pair): BucketState {
  const accounts = s.domain.accounts;
  const a = accounts[fromBucket]![from]!;
  const b = accounts[toBucket]![to]!;
  const fromNode = Object.freeze({ ...a, balance: a.balance - 1 });
  const toNode = Object.freeze({ ...b, balance: b.balance + 1 });
  const next =
    fromBucket === toBucket
      ? { ...accounts, [fromBucket]: Object.freeze({ ...accounts[fromBucket], [from]: fromNode, [to]: toNode }) }
      : {
          ...accounts,
          [fromBucket]: Object.freeze({ ...accounts[fromBucket], [from]: fromNode }),
          [toBucket]: Object.freeze({ ...accounts[toBucket], [to]: toNode }),
        };
  const root = Object.freeze({ ...s, domain: Object.freeze({ ...s.domain, accounts: Object.freeze(next) }) });
  patchSink = [
    [
      { op: 'replace', path: ['domain', 'accounts', fromBucket, from, 'balance'], value: a.balance - 1 },
      { op: 'replace', path: ['domain', 'accounts', toBucket, to, 'balance'], value: b.balance + 1 },
    ],
    [
      { op: 'replace', path: ['domain', 'accounts', fromBucket, from, 'balance'], value: a.balance },
      { op: 'replace', path: ['domain', 'accounts', toBucket, to, 'balance'], value: b.balance },
    ],
  ];
  return root;
}

function immerTransfer(s: BucketState, { from, to, fromBucket, toBucket }: Pair): BucketState {
  const [next, patches, inverse] = produceWithPatches(s, (d) => {
    d.domain.accounts[fromBucket]![from]!.balance -= 1;
    d.domain.accounts[toBucket]![to]!.balance += 1;
  });
  patchSink = [patches, inverse];
  return next;
}

function mutativeTransfer(s: BucketState, { from, to, fromBucket, toBucket }: Pair): BucketState {
  const recipe = (d: BucketState): void => {
    d.domain.accounts[fromBucket]![from]!.balance -= 1;
    d.domain.accounts[toBucket]![to]!.balance += 1;
  };
  const [next, patches, inverse] = create(s, recipe, { enablePatches: true, enableAutoFreeze: true });
  patchSink = [patches, inverse];
  return next;
}

const pairs = makePairs(PER_BUCKET);

const variants: readonly TransferVariant[] = [
  theusVariant('theus shadow', initial, transferShadow, args, pairs, total),
  theusVariant('theus return', initial, transferReturn, args, pairs, total),
  plainVariant('spread', initial, spreadTransfer, pairs, total),
  plainVariant('immer', initial, immerTransfer, pairs, total),
  plainVariant('mutative', initial, mutativeTransfer, pairs, total),
];

/** Runs benchmark 3 and returns ops/s by variant name. */
export function transferBucketsBench(): Promise<TransferResults> {
  return runTransferBench('3. Transfer, 10,000 accounts in 100 buckets of 100', variants, ['spread', 'immer']);
}
