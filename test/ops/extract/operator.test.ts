import { Binary, makeData, RecordBatch, Field, Schema, Struct } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { utf8Vector } from '../../../src/arrow/utf8.ts';
import { makeBatch } from '../../../src/arrow/batch.ts';
import { extractText } from '../../../src/ops/extract/extract-text.ts';
import { getOperator, parseOptions } from '../../../src/ops/operator.ts';
import { fixturePage } from './helpers.ts';

const article = fixturePage('001').html;

function htmlBatch(pages: Array<string | null>): RecordBatch {
  const html = utf8Vector(pages);
  const id = utf8Vector(pages.map((_, i) => `doc-${i}`));
  return makeBatch([{ field: new Field('id', id.type, false), data: id }, { field: new Field('html', html.type, true), data: html }], pages.length);
}

async function run(batch: RecordBatch, options: unknown = {}) {
  const o = parseOptions(extractText, options);
  const beats: number[] = [];
  const r = await extractText.apply(await extractText.init(o), batch, { heartbeat: (row) => beats.push(row) });
  return { ...r, beats };
}

describe('extract_text operator', () => {
  it('is registered and declares html -> text, filtering with extract_text:no_text', () => {
    expect(getOperator('extract_text')).toBe(extractText);
    const d = extractText.declare(parseOptions(extractText, {}));
    expect(d).toMatchObject({ reads: ['html'], writes: ['text'], removes: [], filters: true, kind: 'narrow', dropReasons: ['extract_text:no_text'] });
    expect(extractText.declare(parseOptions(extractText, { metadata: true })).writes).toEqual(['text', 'title', 'date', 'author']);
  });

  it('keeps rows in order, adds text, drops empty pages and quarantines refused ones', async () => {
    const limit = Buffer.byteLength(article) + 100;
    const batch = htmlBatch([article, '<html><body><nav>Home</nav></body></html>', null, `<p>${'x'.repeat(limit)}</p>`]);
    const r = await run(batch, { maxInputBytes: limit });
    expect(r.batch.numRows).toBe(4);
    expect(r.batch.schema.fields.map((f) => f.name)).toEqual(['id', 'html', 'text']);
    const text = r.batch.getChild('text')!;
    expect(String(text.get(0))).toContain('So finally you\'re testing your frontend JavaScript code?');
    expect(r.drop).toEqual([null, 'extract_text:no_text', 'extract_text:no_text', null]);
    expect(r.quarantine![3]).toMatch(/^extract:too_large/);
    expect(r.quarantine!.slice(0, 3)).toEqual([null, null, null]);
    expect(r.beats).toEqual([0, 1, 2, 3]);
  });

  it('minTextLength drops short extractions', async () => {
    const r = await run(htmlBatch(['<p>Short but real text.</p>']), { minTextLength: 100 });
    expect(r.drop).toEqual(['extract_text:no_text']);
  });

  it('metadata columns when asked', async () => {
    const r = await run(htmlBatch([fixturePage('003-metadata-preferred').html, article]), { metadata: true });
    expect(r.batch.getChild('title')!.get(0)).toBe('Open Graph name title');
    expect(r.batch.getChild('author')!.get(0)).toBe('Meta name author');
    expect(r.batch.getChild('date')!.get(1)).toBeNull();
  });

  it('reads a Binary html column, sniffing the charset from the bytes', async () => {
    const latin1 = Buffer.from(`<html><head><meta charset="iso-8859-1"></head><body><p>Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e is served every day in the old town.</p></body></html>`, 'latin1');
    const offsets = Int32Array.from([0, latin1.length]);
    const data = makeData({ type: new Binary(), length: 1, nullCount: 0, valueOffsets: offsets, data: new Uint8Array(latin1) });
    const field = new Field('html', new Binary(), false);
    const batch = new RecordBatch(new Schema([field]), makeData({ type: new Struct([field]), length: 1, nullCount: 0, children: [data] }));
    const r = await run(batch);
    expect(r.batch.getChild('text')!.get(0)).toBe('Café crème brûlée is served every day in the old town.');
  });

  it('a missing column is a clear error naming the columns present', async () => {
    await expect(run(htmlBatch(['<p>x</p>']), { column: 'body' })).rejects.toThrow(/no column "body".*id, html/);
  });
});
