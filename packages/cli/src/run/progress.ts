import type { Engine } from 'theus';
import { say } from '../output.js';

/**
 * Prints one line per commit and per rolled-back run while a workflow runs on a terminal (each
 * workflow step that changes state commits once). Returns the function that stops it.
 */
export function showProgress(engine: Engine): () => void {
  const offCommit = engine.on('commit', (event) => {
    say(`  \u2714 ${event.process}  v${event.version}  ${event.patches.length} change${event.patches.length === 1 ? '' : 's'}`);
  });
  const offRollback = engine.on('rollback', (event) => {
    const code = (event.error as { code?: unknown } | null)?.code;
    say(`  \u2716 ${event.process}  rolled back${typeof code === 'string' ? `  ${code}` : ''}`);
  });
  return () => {
    offCommit();
    offRollback();
  };
}
