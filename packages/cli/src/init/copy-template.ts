import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fillPlaceholders, RENDERED_FILES } from './placeholders.js';

/**
 * Template files stored under another name, because npm leaves them out of a published package
 * (`.gitignore` would also hide files from the template's own repository).
 */
const RENAMED: Readonly<Record<string, string>> = { gitignore: '.gitignore' };

/**
 * Copies the template folder `from` into the folder `to` (which exists), renaming the files of
 * {@link RENAMED} and filling the placeholders of {@link RENDERED_FILES} with `values`.
 *
 * @returns The files written, relative to `to`, with `/` separators, sorted.
 */
export async function copyTemplate(from: string, to: string, values: Readonly<Record<string, string>>): Promise<string[]> {
  const entries = await readdir(from, { recursive: true, withFileTypes: true });
  const written: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const source = join(entry.parentPath, entry.name);
    const path = relative(from, source);
    const name = RENAMED[entry.name] ?? entry.name;
    const destination = join(to, dirname(path), name);
    await mkdir(dirname(destination), { recursive: true });
    if (RENDERED_FILES.has(name)) {
      await writeFile(destination, fillPlaceholders(await readFile(source, 'utf8'), values, path));
    } else {
      await copyFile(source, destination);
    }
    written.push(relative(to, destination).split(sep).join('/'));
  }
  return written.sort();
}
