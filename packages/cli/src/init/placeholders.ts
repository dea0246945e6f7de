/** Files whose text holds `{{key}}` placeholders; every other template file is copied byte for byte. */
export const RENDERED_FILES: ReadonlySet<string> = new Set(['package.json', 'README.md']);

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/**
 * Replaces every `{{key}}` of `text` with `values[key]`, escaped as JSON string content in a
 * `.json` file (a checkout path may hold a quote or a backslash). A key with no value is a
 * mistake in the template, reported with the file's name rather than written out as is.
 *
 * @example
 * ```ts
 * fillPlaceholders('"theus": "{{theus}}"', { theus: '^0.1.0' }, 'package.json'); // '"theus": "^0.1.0"'
 * ```
 */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>, file: string): string {
  return text.replace(PLACEHOLDER, (_match, key: string) => {
    const value = Object.hasOwn(values, key) ? values[key] : undefined;
    if (value === undefined)
      throw new Error(
        `template file ${file} has the placeholder {{${key}}}, which has no value (known: ${Object.keys(values).join(', ')})`,
      );
    return file.endsWith('.json') ? JSON.stringify(value).slice(1, -1) : value;
  });
}
