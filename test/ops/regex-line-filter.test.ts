import { describe, expect, it } from 'vitest';
import { rowsToBatch } from '../../src/arrow/from-rows.ts';
import { parseOptions } from '../../src/ops/operator.ts';
import { REGEX_LINE_FILTER_EMPTY, regexLineFilter } from '../../src/ops/transforms/regex-line-filter.ts';

const ctx = { heartbeat: () => {} };
async function run(texts: (string | null)[], options: Record<string, unknown>) {
  const o = parseOptions(regexLineFilter, options);
  const r = await regexLineFilter.apply(await regexLineFilter.init(o), rowsToBatch(texts.map((text) => ({ text })), [{ name: 'text', type: 'Utf8' }]), ctx);
  return { texts: r.batch.getChild('text')!.toArray() as (string | null)[], drop: Array.from(r.drop ?? []) };
}

describe('regex_line_filter', () => {
  it('removes matching lines and drops documents left empty', async () => {
    const r = await run([
      'Please enable JavaScript.\nReal content here.\nCookies help us.',
      'Only javascript here\nAND JAVASCRIPT',
      'Nothing to remove\n',
      null,
    ], { pattern: 'javascript', flags: 'i' });
    expect(r.texts).toEqual(['Real content here.\nCookies help us.', '', 'Nothing to remove\n', null]);
    expect(r.drop).toEqual([null, REGEX_LINE_FILTER_EMPTY, null, REGEX_LINE_FILTER_EMPTY]);
  });

  it('anchors match per line', async () => {
    const r = await run(['keep\n# comment\nkeep too', '#only'], { pattern: '^#' });
    expect(r.texts).toEqual(['keep\nkeep too', '']);
    expect(r.drop).toEqual([null, REGEX_LINE_FILTER_EMPTY]);
  });

  it('validates its options', () => {
    expect(() => parseOptions(regexLineFilter, {})).toThrow(/pattern/);
    expect(() => regexLineFilter.init(parseOptions(regexLineFilter, { pattern: '(' }))).toThrow(/invalid regular expression/);
    expect(regexLineFilter.declare(parseOptions(regexLineFilter, { pattern: 'x' }))).toMatchObject({ filters: true, dropReasons: [REGEX_LINE_FILTER_EMPTY] });
  });
});
