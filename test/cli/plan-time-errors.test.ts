import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const INPUT = join(ROOT, 'fixtures/corpus');
const TYPO = join(ROOT, 'test/cli/pipelines/column-typo.ts');
const REFINEDWEB = join(ROOT, 'pipelines/refinedweb.ts');
let tmp: string;
beforeAll(async () => { tmp = await mkdtemp(join(tmpdir(), 'sluice-plan-errors-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

function sluice(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
}

const TYPO_MESSAGE = /filter \(len\(txet\) > 200\): column "txet" does not exist; available columns: [^\n]*\btext\b/;

describe('errors about the pipeline itself come at plan time', () => {
  it('sluice explain refuses a column typo, naming the step and the available columns', () => {
    const r = sluice(['explain', TYPO, '--input', INPUT]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(TYPO_MESSAGE);
    expect(r.stdout).not.toContain('== Logical plan ==');
  });

  it('sluice run refuses it before any task runs: no output at all', () => {
    const out = join(tmp, 'typo');
    const r = sluice(['run', TYPO, '--input', INPUT, '--output', out, '--workers', '1']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(TYPO_MESSAGE);
    expect(existsSync(out)).toBe(false);
  });

  it('sluice run refuses a tokenizer that is neither a tiktoken encoding nor a file', () => {
    const out = join(tmp, 'tokenizer');
    const r = sluice(['run', REFINEDWEB, '--input', join(ROOT, 'fixtures/warc'), '--output', out, '--option', 'tokenizer=cl100k']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`operator "tokenize": tokenizer file ${join(ROOT, 'cl100k')} does not exist`);
    expect(r.stderr).toContain('cl100k_base');
    expect(existsSync(out)).toBe(false);
  });
});
