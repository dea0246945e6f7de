import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMA_FILES, type FormatKind } from './shipped-schemas.js';

/** The repository's root folder. */
const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Folders never searched: installed packages, build output, git's own files, coverage reports. */
const SKIPPED = new Set(['node_modules', 'dist', '.git', 'coverage']);

/** Fixture folders whose files carry no modeline, and the format each holds. */
const FOLDER_FORMATS: readonly (readonly [folder: string, kind: FormatKind])[] = [
  ['packages/theus/test/fixtures/flux/', 'workflow'],
  ['packages/theus/test/fixtures/legacy/workflows/', 'workflow'],
  ['packages/theus/test/fixtures/audit/', 'audit'],
  ['packages/theus/test/fixtures/legacy/audit/', 'audit'],
  ['packages/theus/test/fixtures/fsm/', 'fsm'],
];

/** YAML files, by name, that hold none of the three formats, each with the reason. */
const OTHER_FORMATS: readonly (readonly [name: RegExp, reason: string])[] = [
  [
    /(?:^|\/)initial_context\.ya?ml$/,
    "an initial context for `theus run --context`: the application's own data (a mapping of layers), which no schema describes",
  ],
];

/** The editor modeline naming a file's schema (yaml-language-server). */
const MODELINE = /^#\s*yaml-language-server:\s*\$schema=(\S+)/m;

/**
 * Every `.yaml` / `.yml` file under `root` (symbolic links not followed), as sorted paths relative to
 * it with `/` separators; found at test time, so files added later are covered too.
 */
function findYamlFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && !SKIPPED.has(entry.name)) walk(path);
      else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) found.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(root);
  return found.sort();
}

/**
 * The format of a YAML file: named by its `# yaml-language-server: $schema=...` line (by the schema's
 * file name, whatever the path or URL before it), else by the fixture folder it sits in. `other`
 * says why a file holds none of the formats, `problem` why nothing tells.
 */
export function formatOf(path: string, text: string): FormatKind | { readonly other: string } | { readonly problem: string } {
  const modeline = MODELINE.exec(text)?.[1];
  if (modeline !== undefined) {
    const name = modeline
      .replace(/[?#].*$/, '')
      .split('/')
      .at(-1);
    const kind = (Object.keys(SCHEMA_FILES) as FormatKind[]).find((k) => SCHEMA_FILES[k] === name);
    return kind ?? { problem: `its modeline names '${modeline}', none of ${Object.values(SCHEMA_FILES).join(', ')}` };
  }
  const other = OTHER_FORMATS.find(([name]) => name.test(path));
  if (other !== undefined) return { other: other[1] };
  const folder = FOLDER_FORMATS.find(([prefix]) => path.startsWith(prefix));
  return (
    folder?.[1] ?? { problem: "it has no '# yaml-language-server: $schema=...' line naming its schema and is in no known fixture folder" }
  );
}

/** The `<case>.expected.json` beside a fixture, whose presence marks the fixture as invalid; undefined without one. */
function expectedFileOf(absolutePath: string): string | undefined {
  const expected = absolutePath.replace(/\.ya?ml$/i, '.expected.json');
  return existsSync(expected) ? expected : undefined;
}

/** A YAML file of the repository, with the format that applies to it. */
export interface RepositoryYamlFile {
  /** The path from the repository root, with `/` separators. */
  readonly path: string;
  readonly text: string;
  readonly format: ReturnType<typeof formatOf>;
  /** The fixture's `<case>.expected.json` when it is an invalid fixture. */
  readonly expected: string | undefined;
}

/** Every YAML file of the repository, read and classified. */
export function repositoryYamlFiles(): RepositoryYamlFile[] {
  return findYamlFiles(REPOSITORY_ROOT).map((path) => {
    const absolute = join(REPOSITORY_ROOT, path);
    const text = readFileSync(absolute, 'utf8');
    return { path, text, format: formatOf(path, text), expected: expectedFileOf(absolute) };
  });
}
