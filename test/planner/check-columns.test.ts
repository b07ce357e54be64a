import { describe, expect, it } from 'vitest';
import { col, lit } from '../../src/plan/expr.ts';
import type { LogicalPlan } from '../../src/plan/logical-plan.ts';
import { analyzePlan } from '../../src/planner/analyze.ts';
import { fromRecords } from '../../src/dataframe/read.ts';
import { gopherQuality } from '../../src/ops/filters/gopher-quality.ts';
import { exact } from '../../src/ops/dedup/specs.ts';

const docs = fromRecords([{ id: 'a', text: 'hello world', url: 'http://x.test/' }]);
/** A scan whose reader cannot say what it provides (no rows to sample). */
const unknown: LogicalPlan = { kind: 'scan', source: { format: 'records', paths: [], options: { rows: [] } } };

describe('column checks in the analyzer', () => {
  it('names the filter and the available columns for a typo', async () => {
    const plan = docs.filter(col('txet').length().gt(200)).plan;
    await expect(analyzePlan(plan)).rejects.toThrow(
      'filter (len(txet) > 200): column "txet" does not exist; available columns: id, text, url (and __file, __pos)');
  });

  it('checks select and withColumns expressions and the columns they define', async () => {
    await expect(analyzePlan(docs.select('id', 'txt').plan)).rejects.toThrow('select (txt): column "txt" does not exist');
    await expect(analyzePlan(docs.withColumn('n', col('body').length()).plan)).rejects.toThrow('withColumns (len(body) AS n): column "body"');
    // A column defined by one step is available to the next; a dropped one is not.
    await expect(analyzePlan(docs.withColumn('n', col('text').length()).filter(col('n').gt(1)).plan)).resolves.toBeDefined();
    await expect(analyzePlan(docs.drop('text').filter(col('text').eq('x')).plan)).rejects.toThrow('filter (text = \'x\')');
    await expect(analyzePlan(docs.select('id').filter(col('url').eq('x')).plan)).rejects.toThrow('available columns: id (and __file, __pos)');
  });

  it('checks the columns an operator reads, and knows what it writes', async () => {
    const plan = docs.select('id', { body: col('text') }).apply(gopherQuality).plan;
    await expect(analyzePlan(plan)).rejects.toThrow('apply gopher_quality: column "text" does not exist; available columns: id, body');
    await expect(analyzePlan(docs.apply(gopherQuality, { column: 'body' }).plan)).rejects.toThrow('apply gopher_quality: column "body"');
  });

  it('checks dedup keys', async () => {
    await expect(analyzePlan(docs.dedup(exact({ column: 'content' })).plan)).rejects.toThrow('dedup exact: column "content" does not exist');
  });

  it('always allows the system columns', async () => {
    await expect(analyzePlan(docs.filter(col('__pos').gte(0)).select('id', '__file').plan)).resolves.toBeDefined();
  });

  it('unifies union branches by name', async () => {
    const other = fromRecords([{ id: 'b', title: 't' }]);
    await expect(analyzePlan(docs.union(other).filter(col('title').isNull()).plan)).resolves.toBeDefined();
    await expect(analyzePlan(docs.union(other).filter(col('tilte').isNull()).plan)).rejects.toThrow('column "tilte"');
  });

  it('skips the checks above a scan whose schema is unknown, until a select names the columns', async () => {
    const filter: LogicalPlan = { kind: 'filter', input: unknown, predicate: col('anything').gt(lit(1)).node };
    await expect(analyzePlan(filter)).resolves.toBeDefined();
    const select: LogicalPlan = { kind: 'select', input: filter, columns: [{ name: 'a', expr: col('anything').node }] };
    const after: LogicalPlan = { kind: 'filter', input: select, predicate: col('b').gt(lit(1)).node };
    await expect(analyzePlan(after)).rejects.toThrow('filter (b > 1): column "b" does not exist; available columns: a');
  });

  it('plans the query with the typo through collect() and explain()', async () => {
    const frame = docs.filter(col('txet').length().gt(200));
    await expect(frame.explain()).rejects.toThrow('filter (len(txet) > 200)');
    await expect(frame.collect()).rejects.toThrow('filter (len(txet) > 200)');
  });
});
