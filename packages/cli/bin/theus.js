#!/usr/bin/env node
// The `theus` bin: runs the built CLI (dist/main.js). A checkout must be built first (npm run build).
import { existsSync } from 'node:fs';

const built = new URL('../dist/main.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('theus: the CLI is not built: run `npm run build` in the repository first.\n');
  process.exit(2);
}
// A closed pipe (`theus history | head`) ends the output, not the process with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { main } = await import(built.href);
process.exitCode = await main(process.argv.slice(2));
