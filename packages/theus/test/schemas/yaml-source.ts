import type { ErrorObject } from 'ajv/dist/2020.js';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';

/** A YAML file read for schema validation: its data (as JSON Schema sees it) and where each node sits. */
export interface YamlSource {
  /** The document as plain data; `null` for an empty document. */
  readonly data: unknown;
  /** YAML syntax errors (duplicate keys and multiple documents included); no schema applies when there are any. */
  readonly syntaxErrors: readonly string[];
  readonly doc: Document;
  readonly lines: LineCounter;
}

/** Parses YAML 1.2 (core schema: `on` is a string, `true` a boolean, keys read as strings), as the loaders do. */
export function readYaml(text: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const syntaxErrors = doc.errors.map((e) => e.message);
  return { data: syntaxErrors.length === 0 ? doc.toJS() : undefined, syntaxErrors, doc, lines };
}

/**
 * The 1-based lines of the YAML nodes that Ajv errors point at: the value at the error's
 * instance path, or the key itself for an unknown key (`additionalProperties`) or a bad key
 * (`propertyNames`), since that is where the loaders report them.
 */
export function errorLines(source: YamlSource, errors: readonly ErrorObject[]): Set<number> {
  const found = new Set<number>();
  for (const error of errors) {
    const line = lineOf(source, error);
    if (line !== undefined) found.add(line);
  }
  return found;
}

function lineOf({ doc, lines }: YamlSource, error: ErrorObject): number | undefined {
  const path = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map(unescapePointer);
  const params = error.params as { additionalProperty?: string; propertyName?: string };
  const key =
    error.keyword === 'additionalProperties'
      ? params.additionalProperty
      : error.keyword === 'propertyNames'
        ? params.propertyName
        : undefined;
  const segments = key === undefined ? path : [...path, key];
  let node: unknown = doc.contents;
  for (const [index, segment] of segments.entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === segment);
      if (pair === undefined) return undefined;
      const wantsKey = key !== undefined && index === segments.length - 1;
      node = wantsKey || pair.value === null ? pair.key : pair.value;
    } else if (isSeq(node)) node = node.items[Number(segment)];
    else return undefined;
  }
  const start = (node as { range?: readonly number[] } | null)?.range?.[0];
  return start === undefined ? undefined : lines.linePos(start).line;
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
