import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { initialContext } from '../src/context.js';
import { projectFile } from '../src/engine.js';

describe('specs/initial_context.yaml', () => {
  it('holds the initial context of src/context.ts (theus run starts from it)', async () => {
    expect(parse(await readFile(projectFile('specs/initial_context.yaml'), 'utf8'))).toEqual(initialContext());
  });
});
