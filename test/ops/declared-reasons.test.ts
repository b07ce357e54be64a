// Every built-in operator may only drop with a reason it declares, named `<operator name>:<reason>`:
// stats, reports and `sluice inspect` group by reason, and the planner reads the declaration.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Field, makeVector, Utf8, type RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { makeBatch, setColumn } from '../../src/arrow/batch.ts';
import { utf8Vector } from '../../src/arrow/utf8.ts';
import { KEEP_COLUMN } from '../../src/ops/dedup/dedup-filter.ts';
import { CUT_COLUMN } from '../../src/ops/dedup/substrings-op.ts';
import { loadTokenizer } from '../../src/ops/tokenize/backend.ts';
import { tokensListData } from '../../src/arrow/token-lists.ts';
import * as builtins from '../../src/ops/index.ts';
import { getOperator, parseOptions, type AnyOperator } from '../../src/ops/operator.ts';
import { fixturePage } from './extract/helpers.ts';
import { readCorpus, textBatch } from './text-fixtures.ts';
import { FIXTURES as WARC_FIXTURES, readAll } from './warc/helpers.ts';

const UT1 = new URL('../../fixtures/url_filter/ut1/', import.meta.url).pathname;
const TINY_TOKENIZER = new URL('../../fixtures/tokenizers/gpt2-tiny-1500.tokenizer.json', import.meta.url).pathname;

/** Real documents, plus variants built from them that the filters are known to drop. */
function documents(): string[] {
  const corpus = ['c4-sample.01.jsonl', 'dolma-cc2019-30.sample.jsonl', 'dclm-quality-labels.sample.jsonl']
    .flatMap((f) => readCorpus(f).map((d) => d.text));
  const first = corpus[0]!;
  const lines = first.split('\n');
  return [
    ...corpus,
    '',
    [first, first, first].join('\n\n'),
    `${first}\nLorem ipsum dolor sit amet, consectetur adipiscing elit.`,
    `${first}\nThe function body is { return x; } in this example.`,
    lines.map((l) => l.split(/\s+/).slice(0, 3).join(' ')).join('\n'),
    `${first}\n${'Home\nAbout\nContact\nSign in\n'.repeat(20)}`,
  ];
}

function htmlBatch(): RecordBatch {
  const pages = readdirSync(new URL('../../fixtures/html/', import.meta.url).pathname, { withFileTypes: true })
    .filter((e) => e.isDirectory()).map((e) => fixturePage(e.name).html);
  const html = utf8Vector([...pages, '<html><body><nav>Home</nav></body></html>', '']);
  return makeBatch([{ field: new Field('html', new Utf8(), true), data: html }], pages.length + 2);
}

async function urlBatch(): Promise<RecordBatch> {
  const urls: string[] = [];
  for (const f of readdirSync(WARC_FIXTURES).sort()) for (const row of (await readAll([WARC_FIXTURES + f])).rows) urls.push(row.url as string);
  urls.push('https://example.com/videos/porn/1', 'https://example.com/sexy-xxx-videos');
  return makeBatch([{ field: new Field('url', new Utf8(), true), data: utf8Vector(urls) }], urls.length);
}

/** Every third document a duplicate, as the dedup stage's input marks it. */
function dedupBatch(): RecordBatch {
  const texts = documents();
  const keep = Uint8Array.from(texts, (_, i) => (i % 3 === 2 ? 0 : 1));
  return setColumn(textBatch(texts), KEEP_COLUMN, makeVector(keep).data[0]!, false);
}

/** Every third document cut whole (as the substring dedup stage's input marks it), the others untouched. */
async function substringBatch(): Promise<RecordBatch> {
  const texts = documents();
  const gpt2 = await loadTokenizer('gpt2');
  const spans: number[] = [];
  const offsets = new Int32Array(texts.length + 1);
  texts.forEach((t, i) => {
    const n = gpt2.encodeOrdinary(t).length;
    if (i % 3 === 2 && n > 0) spans.push(0, n);
    offsets[i + 1] = spans.length;
  });
  return setColumn(textBatch(texts), CUT_COLUMN, tokensListData(Uint32Array.from(spans), offsets), false);
}

function badWordsFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-reasons-'));
  writeFileSync(join(dir, 'en'), 'the\nsexy\n');
  return join(dir, 'en');
}

interface Case { options: Record<string, unknown>; batch: () => RecordBatch | Promise<RecordBatch>; drops: boolean }

/** Per operator: options and inputs under which it runs, and whether they must make it drop. */
const CASES: Record<string, Case[]> = {
  text_length: [{ options: {}, batch: () => textBatch(documents()), drops: false }],
  regex_line_filter: [{ options: { pattern: '\\S' }, batch: () => textBatch(documents()), drops: true }],
  url_filter: [{ options: { blocklistDir: UT1 }, batch: urlBatch, drops: true }],
  extract_text: [{ options: {}, batch: htmlBatch, drops: true }],
  language_id: [
    { options: {}, batch: () => textBatch(documents()), drops: true },
    { options: { languages: ['de'] }, batch: () => textBatch(documents()), drops: true },
    { options: { labelOnly: true }, batch: () => textBatch(documents()), drops: false },
  ],
  gopher_repetition: [{ options: {}, batch: () => textBatch(documents()), drops: true }],
  gopher_quality: [{ options: {}, batch: () => textBatch(documents()), drops: true }],
  c4_quality: [
    { options: {}, batch: () => textBatch(documents()), drops: true },
    { options: { badWordsPath: badWordsFile() }, batch: () => textBatch(documents()), drops: true },
  ],
  fineweb_quality: [{ options: {}, batch: () => textBatch(documents()), drops: true }],
  line_corrections: [{ options: {}, batch: () => textBatch(documents()), drops: true }],
  pii: [{ options: {}, batch: () => textBatch(documents()), drops: false }],
  tokenize: [{ options: { tokenizer: { huggingface: TINY_TOKENIZER } }, batch: () => textBatch(documents()), drops: false }],
  // Tag mode keeps every document: the reasons become a column instead.
  tag: [{ options: { op: 'gopher_quality' }, batch: () => textBatch(documents()), drops: false }],
  dedup: ['minhash', 'exact', 'url'].map((strategy) => ({ options: { strategy }, batch: dedupBatch, drops: true })),
  substring_dedup: [{ options: {}, batch: substringBatch, drops: true }],
};

const isOperator = (v: unknown): v is AnyOperator =>
  typeof v === 'object' && v !== null && 'name' in v && 'declare' in v && 'apply' in v && 'init' in v;

const operators = Object.values(builtins as Record<string, unknown>).filter(isOperator);

describe('drop reasons of the built-in operators', () => {
  it('covers every registered built-in operator', () => {
    expect(operators.map((op) => op.name).sort()).toEqual(Object.keys(CASES).sort());
    for (const op of operators) expect(getOperator(op.name)).toBe(op);
  });

  it('declares only reasons named <operator name>:<reason>', () => {
    for (const op of operators) {
      for (const c of CASES[op.name]!) {
        const d = op.declare(parseOptions(op, c.options));
        for (const r of d.dropReasons ?? []) expect(r, op.name).toMatch(new RegExp(`^${op.name}:[a-z0-9_]+$`));
        expect(d.filters, op.name).toBe((d.dropReasons ?? []).length > 0);
      }
    }
  });

  for (const [name, cases] of Object.entries(CASES)) {
    it(`${name} drops real documents only with declared reasons`, async () => {
      const op = getOperator(name);
      for (const c of cases) {
        const options = parseOptions(op, c.options);
        const declared = new Set(op.declare(options).dropReasons ?? []);
        const batch = await c.batch();
        const r = await op.apply(await op.init(options), batch, { heartbeat: () => {} });
        const reasons = (r.drop ?? []).filter((x): x is string => typeof x === 'string');
        for (const reason of reasons) {
          expect(declared.has(reason), `${name} ${JSON.stringify(c.options)}: "${reason}" not in [${[...declared].join(', ')}]`).toBe(true);
          expect(reason.startsWith(`${name}:`)).toBe(true);
        }
        expect(reasons.length > 0, `${name} ${JSON.stringify(c.options)} dropped nothing`).toBe(c.drops);
      }
    });
  }
});
