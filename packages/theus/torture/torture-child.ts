/**
 * The child of the SIGKILL torture (`npm run torture`): opens an engine on a SQLite file and
 * commits in a loop from several concurrent writers until it is killed. After each commit is
 * acknowledged (its `execute` resolved), it prints `ack <writer> <i>` on stdout, synchronously,
 * so every line the parent reads stands for a commit the engine promised was durable.
 *
 * Usage: `node --import tsx torture-child.ts <file.db> <writers> <snapshotEvery>`
 *
 * @packageDocumentation
 */
import { writeSync } from 'node:fs';
import { Engine } from 'theus';
import { sqliteStore } from 'theus/store/sqlite';
import { step, type TortureState } from './torture-model.js';

const [path, writers, snapshotEvery] = [process.argv[2] ?? '', Number(process.argv[3]), Number(process.argv[4])];
const engine = await Engine.open<TortureState>({
  context: { domain: { counts: {}, items: {} } },
  processes: [step],
  store: sqliteStore({ path, snapshotEvery }),
});
writeSync(1, `ready ${String(engine.version)}\n`);

async function write(writer: string): Promise<never> {
  for (let i = (engine.state.domain.counts[writer] ?? 0) + 1; ; i++) {
    await engine.execute(step, { writer, i });
    writeSync(1, `ack ${writer} ${String(i)}\n`);
  }
}

await Promise.all(Array.from({ length: writers }, (_, k) => write(`w${String(k)}`)));
