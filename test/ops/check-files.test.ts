import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRecords } from '../../src/dataframe/read.ts';
import { urlFilter } from '../../src/ops/filters/url-filter/url-filter.ts';
import { tokenize } from '../../src/ops/tokenize/tokenize.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const docs = fromRecords([{ text: 'hello', url: 'http://x.test/' }]);
let tmp: string;
beforeAll(async () => { tmp = await mkdtemp(join(tmpdir(), 'sluice-check-files-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

describe('operators check the files their options name when the step is built', () => {
  it('tokenize: a missing tokenizer.json names the operator, the path and the tiktoken encodings', () => {
    expect(() => docs.apply(tokenize, { tokenizer: { huggingface: 'cl100k' } })).toThrow(
      `operator "tokenize": tokenizer file ${resolve('cl100k')} does not exist (a Hugging Face tokenizer.json path, or a tiktoken encoding: gpt2, r50k_base, cl100k_base, o200k_base)`);
    expect(() => docs.apply(tokenize, { tokenizer: { huggingface: join(ROOT, 'fixtures/tokenizers') } })).toThrow('is not a file');
  });

  it('tokenize: an existing tokenizer.json or a known tiktoken encoding passes; an unknown encoding is an options error', () => {
    expect(() => docs.apply(tokenize, { tokenizer: { huggingface: join(ROOT, 'fixtures/tokenizers/gpt2-tiny-1500.tokenizer.json') } })).not.toThrow();
    expect(() => docs.apply(tokenize, { tokenizer: 'cl100k_base' })).not.toThrow();
    expect(() => docs.apply(tokenize, { tokenizer: 'cl100k' as 'gpt2' })).toThrow('invalid options for operator "tokenize": tokenizer');
  });

  it('url_filter: a missing blocklist directory or category is named', async () => {
    const missing = join(tmp, 'no-such-dir');
    expect(() => docs.apply(urlFilter, { blocklistDir: missing })).toThrow(`operator "url_filter": blocklist directory ${missing} does not exist`);
    const dir = join(tmp, 'ut1');
    await mkdir(join(dir, 'adult'), { recursive: true });
    await writeFile(join(dir, 'adult', 'domains'), 'bad.test\n');
    expect(() => docs.apply(urlFilter, { blocklistDir: dir })).not.toThrow();
    expect(() => docs.apply(urlFilter, { blocklistDir: dir, categories: ['adult', 'gambling'] })).toThrow(
      `operator "url_filter": blocklist category "gambling" has neither ${join(dir, 'gambling', 'domains')} nor ${join(dir, 'gambling', 'urls')}`);
  });
});
