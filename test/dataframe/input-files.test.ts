import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { pipelineContext } from '../../src/cli/pipeline-module.ts';
import { readJsonl } from '../../src/dataframe/read.ts';

let tmp: string;
let input: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sluice-input-files-'));
  input = join(tmp, 'in');
  await mkdir(join(input, 'sub'), { recursive: true });
  const names = ['a.jsonl', 'b.jsonl.gz', 'sub/c.jsonl', 'c.json.gz', 'd.json.gz', 'sub/e.json.gz', 'f.jsonl.gzip', 'G.JSONL',
    'h.ndjson', 'meta.json', 'notes.txt'];
  for (const n of names) await writeFile(join(input, n), '{"text":"x"}\n');
});
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });
afterEach(() => { vi.restoreAllMocks(); });

/** Runs `f` with stderr captured. */
function captureStderr<T>(f: () => T): { result: T; stderr: string } {
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const result = f();
  vi.restoreAllMocks();
  return { result, stderr };
}

describe('ctx.files', () => {
  it('warns about files skipped for a near-miss extension, naming up to 5 and how many', () => {
    const ctx = pipelineContext(input, join(tmp, 'out'), {});
    const { result, stderr } = captureStderr(() => ctx.files('**/*.{jsonl,jsonl.gz}'));
    expect(result).toEqual(['a.jsonl', 'b.jsonl.gz', 'sub/c.jsonl'].map((n) => join(input, n)));
    expect(stderr).toBe(`sluice: warning: pattern "**/*.{jsonl,jsonl.gz}" under ${input} matched 3 files but skipped 6 with a similar ` +
      'extension: G.JSONL, c.json.gz, d.json.gz, f.jsonl.gzip, h.ndjson, ... (6 in all); widen the pattern if they are input\n');
  });

  it('looks for near misses only in the tree the pattern covers, and is silent when nothing is skipped', () => {
    const ctx = pipelineContext(input, join(tmp, 'out'), {});
    const top = captureStderr(() => ctx.files('*.jsonl'));
    expect(top.result).toEqual([join(input, 'a.jsonl')]);
    expect(top.stderr).toContain('skipped 6 with a similar extension: G.JSONL, b.jsonl.gz, c.json.gz, d.json.gz, f.jsonl.gzip, ... (6 in all);');
    expect(captureStderr(() => ctx.files('**/*.txt')).stderr).toBe('');
  });

  it('names the pattern and the directory when nothing matches', () => {
    const ctx = pipelineContext(input, join(tmp, 'out'), {});
    expect(() => ctx.files('**/*.parquet')).toThrow(
      `no files under ${input} match "**/*.parquet" (the directory holds 11 files, e.g. G.JSONL, a.jsonl, b.jsonl.gz, c.json.gz, d.json.gz)`);
  });
});

describe('readers', () => {
  it('name the pattern and the directory when nothing matches', () => {
    expect(() => readJsonl(join(input, 'sub/*.jsonl.gz'))).toThrow(
      `no jsonl files under ${join(input, 'sub')} match "*.jsonl.gz" (the directory holds 2 files, e.g. c.jsonl, e.json.gz)`);
    expect(() => readJsonl([])).toThrow('no jsonl files: the list of paths is empty');
    expect(() => readJsonl(join(input, 'nope.jsonl'))).toThrow(`input not found: ${join(input, 'nope.jsonl')}`);
  });

  it('warn about near misses of a glob pattern too', () => {
    const { result, stderr } = captureStderr(() => readJsonl(join(input, 'sub/*.jsonl')));
    expect(result.plan.kind === 'scan' && result.plan.source.paths).toEqual([join(input, 'sub/c.jsonl')]);
    expect(stderr).toBe(`sluice: warning: pattern "*.jsonl" under ${join(input, 'sub')} matched 1 files but skipped 1 with a similar ` +
      'extension: e.json.gz; widen the pattern if they are input\n');
  });
});
