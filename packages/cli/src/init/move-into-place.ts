import { access, constants, lstat, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from '../cli-error.js';
import { isCode, reason } from './target.js';

/** One file of the generated tree and where it goes. */
interface Move {
  readonly from: string;
  readonly to: string;
}

/**
 * Moves every file of the generated folder `from` into the existing folder `to`, replacing files
 * of the same name and keeping the others (`theus init --force`). Everything that could stop the
 * moves half-way is checked first: a folder of the template where `to` has a file (or the
 * reverse), and folders of `to` that cannot be written. A move can still fail (a full disk, a
 * change made meanwhile): the error then says how many entries were already written.
 */
export async function mergeInto(from: string, to: string): Promise<void> {
  const moves: Move[] = [];
  const folders = new Set<string>([to]);
  await plan(from, to, moves, folders);
  for (const folder of folders) {
    await access(folder, constants.W_OK).catch((error: unknown) => {
      throw new CliError(`cannot write into ${folder}: ${reason(error)}. Nothing was written.`);
    });
  }
  for (const [index, move] of moves.entries()) {
    await rename(move.from, move.to).catch((error: unknown) => {
      throw new CliError(
        `cannot write ${move.to}: ${reason(error)}. ${index} of the template's ${moves.length} entries were written before it: fix the cause and run init --force again.`,
      );
    });
  }
}

async function plan(from: string, to: string, moves: Move[], folders: Set<string>): Promise<void> {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const destination = join(to, entry.name);
    // lstat: a symbolic link in the target is replaced or refused, never written through.
    const existing = await lstat(destination).catch((error: unknown) => {
      if (isCode(error, 'ENOENT')) return undefined;
      throw error;
    });
    if (entry.isDirectory()) {
      if (existing !== undefined && !existing.isDirectory()) throw conflict(destination, 'a file', 'a folder');
      if (existing === undefined) moves.push({ from: source, to: destination });
      else {
        folders.add(destination);
        await plan(source, destination, moves, folders);
      }
    } else {
      if (existing?.isDirectory() === true) throw conflict(destination, 'a folder', 'a file');
      moves.push({ from: source, to: destination });
    }
  }
}

function conflict(path: string, found: string, wanted: string): CliError {
  return new CliError(`cannot write ${path}: it is ${found} where the template has ${wanted}. Move it away; nothing was written.`);
}
