import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fg from 'fast-glob';
import { afterAll, describe, expect, it } from 'vitest';
import { globBase, globToRegExp, isGlob } from '../../../src/io/location/glob.ts';
import { compareUtf8 } from '../../../src/io/location/index.ts';

// A crawl-like tree; fast-glob on the same files is the reference for what a key pattern matches.
const FILES = [
  'a.warc.gz', 'b.warc', 'notes.txt', '.hidden.warc.gz', 'x.jsonl', 'x.jsonl.gz', 'y.json.gz', 'z.ndjson',
  'crawl/seg-00/warc/CC-00000.warc.gz', 'crawl/seg-00/warc/CC-00001.warc.gz', 'crawl/seg-01/warc/CC-00002.warc.gz',
  'crawl/seg-01/wet/CC-00002.warc.wet.gz', 'crawl/.tmp/partial.warc.gz', 'data/part-1.parquet', 'data/part-2.parquet',
  'data/nested/deep/part-3.parquet', 'weird/a b.warc.gz', 'weird/ü.warc.gz', 'weird/x+y(1).warc.gz',
];
const PATTERNS = [
  '**/*', '*', '**/*.warc.gz', '*.warc.gz', '**/*.{jsonl,jsonl.gz,json.gz,ndjson}', 'crawl/*/warc/*.warc.gz',
  'crawl/**/*.warc.gz', 'crawl/seg-0[0-1]/warc/CC-0000?.warc.gz', 'crawl/seg-0[!0]/**', 'data/**', 'data/*.parquet',
  '**/part-[0-9].parquet', 'weird/*', 'weird/x+y\\(1\\).warc.gz', '**/CC-{00000,00002}.warc*', 'crawl/**',
];

const root = mkdtempSync(join(tmpdir(), 'sluice-glob-'));
for (const f of FILES) {
  mkdirSync(dirname(join(root, f)), { recursive: true });
  writeFileSync(join(root, f), f);
}
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('glob patterns over object keys', () => {
  it.each(PATTERNS)('%s matches what fast-glob matches on the same tree', (pattern) => {
    const expected = fg.sync(pattern, { cwd: root, onlyFiles: true }).sort(compareUtf8);
    const re = globToRegExp(pattern);
    expect(FILES.filter((f) => re.test(f)).sort(compareUtf8)).toEqual(expected);
  });

  it('splits a pattern into its literal leading directories and the rest', () => {
    expect(globBase('crawl/seg-*/warc/*.gz')).toEqual({ base: 'crawl/', rest: 'seg-*/warc/*.gz' });
    expect(globBase('crawl/seg-00/warc/*.gz')).toEqual({ base: 'crawl/seg-00/warc/', rest: '*.gz' });
    expect(globBase('**/*.gz')).toEqual({ base: '', rest: '**/*.gz' });
    expect(globBase('plain.warc.gz')).toEqual({ base: '', rest: 'plain.warc.gz' });
    expect(isGlob('a/{b,c}')).toBe(true);
    expect(isGlob('a/b.warc.gz')).toBe(false);
  });
});
