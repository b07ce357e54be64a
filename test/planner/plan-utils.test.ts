import { describe, expect, it } from 'vitest';
import type { LogicalPlan } from '../../src/plan/logical-plan.ts';
import { children, mapChildren, outputColumns, transformDown, transformUp } from '../../src/planner/plan-utils.ts';
import { formatExpr } from '../../src/planner/format-plan.ts';
import { col, drop, extract, filter, langId, lit, scan, select, webSource, withColumns } from './plans.ts';

describe('plan utils', () => {
  it('keeps identity when a transform changes nothing, and rebuilds only the changed path', () => {
    const plan = filter(langId(extract(scan())), col('language').eq('en'));
    expect(transformUp(plan, (n) => n)).toBe(plan);
    expect(transformDown(plan, (n) => n)).toBe(plan);
    expect(mapChildren(plan, (c) => c)).toBe(plan);
    const relabeled = transformUp(plan, (n) => (n.kind === 'apply' && n.op === 'html_extract' ? { ...n, op: 'trafilatura' } : n));
    expect(relabeled).not.toBe(plan);
    expect(children(children(relabeled)[0]!)[0]).toMatchObject({ op: 'trafilatura' });
    expect(children(children(children(relabeled)[0]!)[0]!)[0]).toBe(children(children(children(plan)[0]!)[0]!)[0]);
  });

  it('derives output columns from the schema, projections and operator declarations', () => {
    expect(outputColumns(drop(langId(extract(scan())), ['html']))).toEqual(['url', 'fetch_time', 'status', 'text', 'title', 'language', 'language_score']);
    expect(outputColumns(withColumns({ kind: 'scan', source: webSource, columns: ['url'] }, { n: lit(1) }))).toEqual(['url', 'n']);
    expect(outputColumns(select(scan(), { u: col('url') }))).toEqual(['u']);
    const unknown: LogicalPlan = { kind: 'scan', source: { format: 'jsonl', paths: ['/x.jsonl'] } };
    expect(outputColumns(extract(unknown))).toBeUndefined();
  });

  it('prints expressions compactly with unambiguous parentheses', () => {
    const e = col('text').length().gt(200).and(col('lang').eq("it's")).or(col('x').isIn([1, 2]).not());
    expect(formatExpr(e.node)).toBe("((len(text) > 200) AND (lang = 'it\\'s')) OR (NOT (x IN (1, 2)))");
  });
});
