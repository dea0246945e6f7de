import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBin } from './run-bin.js';

const cwd = mkdtempSync(join(tmpdir(), 'theus-cli-main-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('the theus bin', () => {
  it('lists every command in --help and exits 0', async () => {
    const result = await runBin(['--help'], { cwd });
    expect(result.code).toBe(0);
    for (const command of ['init', 'run', 'check', 'audit', 'schema', 'history'])
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('prints its version', async () => {
    const result = await runBin(['--version'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it.each([
    [['inti'], "unknown command 'inti'\n(Did you mean init?)"],
    [['audit', 'gen-spc'], "unknown command 'gen-spc'\n(Did you mean gen-spec?)"],
    [['check', '--fromat', 'json'], "unknown option '--fromat'\n(Did you mean --format?)"],
    [['schema', 'gen', '--frm', 'x'], "unknown option '--frm'\n(Did you mean --from?)"],
  ])('suggests the nearest command or option and exits 2: %j', async (args, message) => {
    const result = await runBin(args, { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('shows help for a command group without a subcommand', async () => {
    const result = await runBin(['audit'], { cwd });
    expect(result.stdout + result.stderr).toContain('gen-spec');
  });
});
