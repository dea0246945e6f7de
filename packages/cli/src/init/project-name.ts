import { builtinModules } from 'node:module';

/** The longest name the npm registry accepts. */
const MAX_LENGTH = 214;

/** Names npm refuses whatever their spelling. */
const RESERVED = new Set(['node_modules', 'favicon.ico']);

/**
 * Checks that `name` can be the `name` of a new npm package (the rules of
 * validate-npm-package-name for new packages, unscoped), and says what is wrong if it cannot.
 *
 * @returns undefined when the name is valid, otherwise a sentence naming the problem and a fix.
 */
export function packageNameProblem(name: string): string | undefined {
  const problem = firstProblem(name);
  if (problem === undefined) return undefined;
  const suggestion = suggestName(name);
  const hint = suggestion !== undefined && suggestion !== name && firstProblem(suggestion) === undefined ? ` (try '${suggestion}')` : '';
  return `'${name}' is not a valid npm package name: ${problem}${hint}`;
}

function firstProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.trim() !== name) return 'it starts or ends with spaces';
  if (name.length > MAX_LENGTH) return `it is ${name.length} characters long, the limit is ${MAX_LENGTH}`;
  if (name.startsWith('.') || name.startsWith('_')) return `it starts with '${name[0] ?? ''}'`;
  if (name !== name.toLowerCase()) return 'it has capital letters (npm names are lowercase)';
  if (/[~'!()*]/.test(name)) return "it has one of the characters ~'!()*";
  if (encodeURIComponent(name) !== name) return 'it has characters that are not URL-safe (use letters, digits, - . _)';
  if (RESERVED.has(name)) return `'${name}' is reserved`;
  if (builtinModules.includes(name)) return `'${name}' is the name of a Node.js core module`;
  return undefined;
}

/** A lowercase, URL-safe spelling of `name`, when one exists. */
function suggestName(name: string): string | undefined {
  const suggestion = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return suggestion.length > 0 ? suggestion.slice(0, MAX_LENGTH) : undefined;
}
