import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openPipelineContext } from '../../src/cli/pipeline-module.ts';

const WARC = resolve('fixtures/warc');
const tmp = mkdtempSync(join(tmpdir(), 'sluice-input-list-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('pipeline context from a local input list', () => {
  it('gives absolute paths in list order for file:// URLs, absolute paths and entries relative to --input-prefix', async () => {
    const list = join(tmp, 'inputs.txt.gz');
    writeFileSync(list, gzipSync([
      '# three crawls, not in name order',
      pathToFileURL(join(WARC, 'wget-2024.dolma-sample-0001.warc.gz')).href,
      '',
      join(WARC, 'cc-main-2024-22.whirlwind.warc.gz'),
      'wget-2024.dolma-sample-0000.warc.gz',
    ].join('\n')));
    const ctx = await openPipelineContext({ list, prefix: WARC }, 'out', {});
    expect(ctx.input).toBe(WARC);
    expect(ctx.files()).toEqual([
      join(WARC, 'wget-2024.dolma-sample-0001.warc.gz'), join(WARC, 'cc-main-2024-22.whirlwind.warc.gz'), join(WARC, 'wget-2024.dolma-sample-0000.warc.gz'),
    ]);
    expect(ctx.files('wget-*')).toEqual([join(WARC, 'wget-2024.dolma-sample-0001.warc.gz'), join(WARC, 'wget-2024.dolma-sample-0000.warc.gz')]);
    expect(() => ctx.files('*.parquet')).toThrow(`no files in --input-list ${list} match "*.parquet" (it lists 3`);
  });

  it('without a prefix, a relative entry is an error naming the list and line; ctx.input is the list', async () => {
    const list = join(tmp, 'relative.txt');
    writeFileSync(list, `${join(WARC, 'cc-main-2024-22.whirlwind.warc.gz')}\ncrawl/x.warc.gz\n`);
    await expect(openPipelineContext({ list }, 'out', {})).rejects.toThrow(`${list} line 2: "crawl/x.warc.gz" is relative; give the location it is relative to (--input-prefix)`);
    writeFileSync(list, `${join(WARC, 'cc-main-2024-22.whirlwind.warc.gz')}\n`);
    expect((await openPipelineContext({ list }, 'out', {})).input).toBe(list);
  });
});
