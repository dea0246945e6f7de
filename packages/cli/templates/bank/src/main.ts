/**
 * The bank at work: a few transfers (one refused, one blocked by the audit, one rolled back),
 * then the payday workflow. `npm start` runs this file.
 */
import { createBank, projectFile } from './engine.js';
import { transfer } from './processes/transfers.js';

const engine = createBank();
engine.on('commit', (event) => console.log(`  commit v${event.version} by ${event.process}`));
engine.on('signal', (event) => console.log(`  signal ${event.topic}: ${JSON.stringify(event.payload)}`));
const balances = (): string => JSON.stringify(engine.state.domain.accounts);

console.log(`Balances: ${balances()}`);
console.log('alice sends 300 to bob');
await engine.execute(transfer, { from: 'alice', to: 'bob', amount: 300 });

const attempts = [
  { label: 'bob sends 9000 to carol (more than he has)', args: { from: 'bob', to: 'carol', amount: 9000 } },
  { label: 'alice sends 20000 to bob (over the audit limit)', args: { from: 'alice', to: 'bob', amount: 20000 } },
  { label: 'alice sends 100 to dave (no such account)', args: { from: 'alice', to: 'dave', amount: 100 } },
];
for (const { label, args } of attempts) {
  console.log(label);
  await engine
    .execute(transfer, args)
    .catch((error: unknown) => console.log(`  refused: ${(error as Error).name}: ${(error as Error).message}`));
}
console.log(`Balances: ${balances()} (version ${engine.version})`);

console.log('Payday workflow (workflows/payday.yaml)');
const run = await engine.executeWorkflow(projectFile('workflows/payday.yaml'));
console.log(`  ${run.status}: ${run.executed.join(' → ')}`);
console.log(`Balances: ${balances()}, vault ${engine.state.domain.vault}, ${engine.state.domain.reviews.length} review(s) open`);
await engine.close();
