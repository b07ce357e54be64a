import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { rowsToBatch } from '../../src/arrow/from-rows.ts';
import { parseOptions } from '../../src/ops/operator.ts';
import { textLength } from '../../src/ops/filters/text-length.ts';

const ctx = { heartbeat: () => {} };
const docs = readFileSync('fixtures/jsonl/dolma-40.jsonl', 'utf8').split('\n').filter(Boolean).slice(0, 10).map((l) => ({ text: JSON.parse(l).text as string }));

describe('text_length', () => {
  it('annotates UTF-8 byte length by default, as <column>_length', async () => {
    const batch = rowsToBatch([...docs, { text: null as unknown as string }, { text: 'héllo 😀' }], [{ name: 'text', type: 'Utf8' }]);
    const o = parseOptions(textLength, {});
    const r = await textLength.apply(await textLength.init(o), batch, ctx);
    expect(r.drop).toBeUndefined();
    expect(r.batch.getChild('text_length')!.toArray()).toEqual(
      Int32Array.from([...docs.map((d) => Buffer.byteLength(d.text)), 0, 11]));
    expect(r.batch.getChild('text_length')!.get(10)).toBeNull();
    expect(textLength.declare(o)).toMatchObject({ reads: ['text'], writes: ['text_length'], filters: false, kind: 'narrow' });
  });

  it('counts code points into a configurable column, also on a sliced batch', async () => {
    const batch = rowsToBatch([{ t: 'x' }, { t: 'héllo 😀' }, { t: '' }], [{ name: 't', type: 'Utf8' }]).slice(1);
    const o = parseOptions(textLength, { column: 't', output: 'n', unit: 'chars' });
    const r = await textLength.apply(await textLength.init(o), batch, ctx);
    expect(Array.from(r.batch.getChild('n')!)).toEqual([[...'héllo 😀'].length, 0]);
  });

  it('rejects bad options and missing columns clearly', async () => {
    expect(() => parseOptions(textLength, { unit: 'words' })).toThrow(/invalid options for operator "text_length": unit/);
    const batch = rowsToBatch([{ a: 'x' }], [{ name: 'a', type: 'Utf8' }]);
    expect(() => textLength.apply(parseOptions(textLength, {}), batch, ctx)).toThrow(/no column "text" \(columns: a\)/);
  });
});
