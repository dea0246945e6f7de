/**
 * A restart that keeps the state and delivers a pending message. The first process places two
 * orders on a SQLite file while the mailer is down (no handler for `order.placed`), and exits.
 * A second process (a real restart: this script again, `--reopen`) opens the same file: the
 * orders are there, and the messages, still pending, are delivered once a handler is registered.
 * Run it with `npm run demo:restart`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sqliteStore } from 'theus/store/sqlite';
import { placeOrder, shop } from './shop.js';

const { values: flags } = parseArgs({ options: { reopen: { type: 'string' } } });

if (flags.reopen === undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'theus-restart-'));
  const path = join(dir, 'shop.db');
  try {
    console.log(`First run: ${path}`);
    const engine = await shop.engine({ context: { domain: { orders: {} } }, processes: [placeOrder], store: sqliteStore({ path }) }).ready;
    await engine.execute(placeOrder, { id: 'o1', item: 'kettle', quantity: 1 });
    await engine.execute(placeOrder, { id: 'o2', item: 'teapot', quantity: 2 });
    const pending = await engine.outbox.pending();
    console.log(`  version ${engine.version}, ${Object.keys(engine.state.domain.orders).length} orders`);
    console.log(`  the mailer is down: ${pending.length} messages pending (${pending.map((message) => message.id).join(', ')})`);
    await engine.close();
    console.log('  process exits');
    // The restart: a new Node process on the same file.
    const restart = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--reopen', path], {
      stdio: 'inherit',
    });
    if (restart.status !== 0) throw new Error(`the restarted process failed with status ${String(restart.status)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  console.log('Second run, after the restart:');
  const engine = await shop.engine({
    context: { domain: { orders: {} } },
    processes: [placeOrder],
    store: sqliteStore({ path: flags.reopen }),
  }).ready;
  console.log(`  restored version ${engine.version}: orders ${Object.keys(engine.state.domain.orders).join(', ')}`);
  const delivered = new Promise<void>((resolve) => {
    let count = 0;
    engine.outbox.on('order.placed', (message) => {
      console.log(`  mailer: ${message.id} ${JSON.stringify(message.payload)} (attempt ${message.attempts + 1})`);
      if (++count === 2) resolve();
    });
  });
  await delivered;
  await engine.close();
  console.log(`  ${(await engine.outbox.pending()).length} messages pending`);
}
