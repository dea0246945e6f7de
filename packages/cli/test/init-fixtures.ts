import { createHash } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The root of this repository. */
export const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));

/** The CLI's template folders. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../templates/', import.meta.url));

/** The four template names. */
export const TEMPLATE_NAMES = ['minimal', 'bank', 'ecommerce', 'agent'] as const;

/**
 * Makes a fresh, empty folder in the system's temporary folder, open to every user (so that a
 * test may run the bin as an unprivileged user inside it). Remove it with {@link removeTempDir}.
 */
export async function makeTempDir(prefix = 'theus-init-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o777);
  return dir;
}

/** Removes a folder made by {@link makeTempDir}, whatever its modes became. */
export async function removeTempDir(dir: string): Promise<void> {
  await chmod(dir, 0o777).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}

/** Every file and folder under `dir`, relative, with `/` separators, sorted. */
export async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/') + (entry.isDirectory() ? '/' : ''))
    .sort();
}

/** The files under `dir` with a hash of each one's content: equal snapshots, equal trees. */
export async function snapshotTree(dir: string): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  for (const path of await listTree(dir)) {
    snapshot[path] = path.endsWith('/')
      ? 'folder'
      : createHash('sha256')
          .update(await readFile(join(dir, path)))
          .digest('hex');
  }
  return snapshot;
}

/** The files a template generates: its files, with `gitignore` named `.gitignore`. */
export async function templateFiles(template: string): Promise<string[]> {
  const files = (await listTree(join(TEMPLATES_DIR, template))).filter((path) => !path.endsWith('/'));
  return files.map((path) => path.replace(/(^|\/)gitignore$/, '$1.gitignore')).sort();
}
