/**
 * The quick-start bank of Theus: contracts, zones, shadow writes and rollback. Run it with
 * `npm run demo` (in memory). With `npm run demo -- --store bank.db` the state lives in a SQLite
 * file: run it again and it continues from where the last run stopped.
 */
import { parseArgs } from 'node:util';
import { ContractViolationError } from 'theus';
import { bank, totalBalance, transfer } from './bank.js';

const { values: flags } = parseArgs({ options: { store: { type: 'string' } } });
// Loaded only when asked for: the in-memory demo needs no native module.
const store = flags.store === undefined ? undefined : (await import('theus/store/sqlite')).sqliteStore({ path: flags.store });

const engine = bank.engine({
  context: {
    global: { currency: 'EUR' },
    domain: { accounts: { Alice: 1000, Bob: 0 }, total_reserves: 1_000_000 },
  },
  processes: [transfer, totalBalance],
  ...(store === undefined ? {} : { store }),
});
await engine.ready;
if (flags.store !== undefined) {
  const { Alice, Bob } = engine.state.domain.accounts;
  console.log(`Opened ${flags.store} at version ${engine.version}: Alice ${Alice}, Bob ${Bob}`);
}

engine.on('commit', (event) => console.log(`  commit v${event.version} by ${event.process}: ${event.patches.length} change(s)`));
engine.on('signal', (event) => console.log(`  signal ${event.topic} = ${String(event.payload)}`));

console.log('Transfer 500 from Alice to Bob');
console.log('  result:', await engine.execute(transfer, { from: 'Alice', to: 'Bob', amount: 500 }));
console.log(`  Alice: ${engine.state.domain.accounts.Alice}, Bob: ${engine.state.domain.accounts.Bob}, version ${engine.version}`);

console.log('Transfer 5000 from Bob (overdraft): the fraud signal fires, balances stay');
console.log('  result:', await engine.execute(transfer, { from: 'Bob', to: 'Alice', amount: 5000 }));
console.log(`  Alice: ${engine.state.domain.accounts.Alice}, Bob: ${engine.state.domain.accounts.Bob}`);

console.log('Transfer -5: the process throws, everything rolls back');
const before = engine.version;
await engine.execute(transfer, { from: 'Alice', to: 'Bob', amount: -5 }).catch((error: unknown) => {
  console.log(`  ${(error as Error).name}: ${(error as Error).message}`);
});
console.log(`  version unchanged: ${engine.version === before}`);

console.log('Committed state is frozen: writing outside a process fails');
try {
  // @ts-expect-error engine.state is typed deeply read-only, and frozen at run time
  engine.state.domain.accounts.Alice = 1_000_000;
} catch (error) {
  console.log(`  ${(error as Error).constructor.name}: ${(error as Error).message}`);
}

console.log('A process may not touch what its contract does not declare');
const sneaky = bank.process({ inputs: ['domain.accounts'] }, function sneaky(ctx) {
  return (ctx as unknown as { domain: { total_reserves: number } }).domain.total_reserves;
});
await engine.execute(sneaky).catch((error: unknown) => {
  if (error instanceof ContractViolationError) console.log(`  ${error.code}: ${error.message}`);
});

console.log(`Total balance (pure process): ${await engine.execute(totalBalance)}`);
await engine.close();
