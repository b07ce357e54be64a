import { describe, expect, it } from 'vitest';
import { col, columnsOf, lit, toNode } from '../../src/plan/expr.ts';

describe('expressions', () => {
  it('are plain JSON that survives a round trip', () => {
    const e = col('lang').eq('en').and(col('text').length().gt(lit(200)));
    expect(JSON.parse(JSON.stringify(e))).toEqual(e.node);
  });

  it('lists the columns they read once each', () => {
    const e = col('a').gt(1).and(col('b').regexMatch(/x+/i)).or(col('a').isNull());
    expect(columnsOf(e.node)).toEqual(['a', 'b']);
  });

  it('keeps regex flags so a worker rebuilds the same pattern', () => {
    expect(col('t').regexMatch(/^ab/mi).node).toMatchObject({ pattern: '^ab', flags: 'im' });
    expect(toNode(3)).toEqual({ kind: 'lit', value: 3 });
  });
});
