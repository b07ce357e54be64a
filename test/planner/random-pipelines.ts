import fc from 'fast-check';
import type { ExprNode, Scalar } from '../../src/plan/expr.ts';
import type { LogicalPlan } from '../../src/plan/logical-plan.ts';
import type { OperatorDecl } from '../../src/plan/operator-decl.ts';

/** Random tables and pipelines for optimizer-equivalence properties. */

export type ColType = 'num' | 'str' | 'bool';
export type Columns = Map<string, ColType>;

/** An operator the generator may use: it needs `requires` columns and yields `produces`. */
export interface OpChoice {
  op: string;
  options: Record<string, unknown>;
  decl: OperatorDecl;
  requires: Record<string, ColType>;
  produces: Record<string, ColType>;
}

const WORDS = ['', 'a', 'ab', 'Ab c', 'abc\nab', 'zz', 'a\nb\nb'];

/** 0–25 rows of a nullable int `a`, int `b` and nullable string `s`. */
export const tableArb = fc.array(
  fc.record({
    a: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }),
    b: fc.integer({ min: -3, max: 3 }),
    s: fc.option(fc.constantFrom(...WORDS), { nil: null }),
  }),
  { maxLength: 25 },
);

export const TABLE_COLUMNS: Columns = new Map([['a', 'num'], ['b', 'num'], ['s', 'str']]);

/**
 * A scan of generated rows with the table's declared schema. Inferred from the rows instead, an
 * all-null `a` would be Utf8 in one union branch and Float64 in the other, and whether a type
 * error surfaces would depend on which rows a plan happens to evaluate.
 */
export function tableScan(rows: readonly Record<string, unknown>[]): LogicalPlan {
  return {
    kind: 'scan',
    source: {
      format: 'records', paths: [], options: { rows },
      schema: [{ name: 'a', type: 'Float64' }, { name: 'b', type: 'Float64' }, { name: 's', type: 'Utf8' }],
    },
  };
}

/** The generated table, or the union of two. */
export function tableSource(rows: readonly Record<string, unknown>[], more?: readonly Record<string, unknown>[]): LogicalPlan {
  return more ? { kind: 'union', inputs: [tableScan(rows), tableScan(more)] } : tableScan(rows);
}

type Gen = fc.GeneratorValue;

function pick<T>(g: Gen, xs: readonly T[]): T {
  return xs[g(fc.nat, { max: xs.length - 1 })]!;
}

function colsOf(cols: Columns, t: ColType): string[] {
  return [...cols].filter(([, ty]) => ty === t).map(([n]) => n);
}

function lit(value: Scalar): ExprNode {
  return { kind: 'lit', value };
}

export function numExpr(g: Gen, cols: Columns, depth: number): ExprNode {
  const nums = colsOf(cols, 'num'), strs = colsOf(cols, 'str');
  const choices = ['lit', ...(nums.length ? ['col', 'col'] : []), ...(depth > 0 ? ['arith'] : []), ...(depth > 0 && strs.length ? ['len'] : [])];
  switch (pick(g, choices)) {
    case 'col': return { kind: 'col', name: pick(g, nums) };
    case 'arith': return { kind: 'arith', op: pick(g, ['add', 'sub', 'mul'] as const), left: numExpr(g, cols, depth - 1), right: numExpr(g, cols, depth - 1) };
    case 'len': return { kind: 'str', fn: 'length', arg: strExpr(g, cols, depth - 1) };
    default: return lit(g(fc.integer, { min: -3, max: 3 }));
  }
}

export function strExpr(g: Gen, cols: Columns, depth: number): ExprNode {
  const strs = colsOf(cols, 'str');
  const choices = ['lit', ...(strs.length ? ['col', 'col'] : []), ...(depth > 0 ? ['lower'] : [])];
  switch (pick(g, choices)) {
    case 'col': return { kind: 'col', name: pick(g, strs) };
    case 'lower': return { kind: 'str', fn: 'lower', arg: strExpr(g, cols, depth - 1) };
    default: return lit(pick(g, WORDS));
  }
}

export function boolExpr(g: Gen, cols: Columns, depth: number): ExprNode {
  const bools = colsOf(cols, 'bool');
  const all = [...cols.keys()];
  const choices = ['cmp', 'cmp', 'streq', 'match', 'lit', ...(all.length ? ['isNull'] : []), ...(bools.length ? ['col'] : []), ...(depth > 0 ? ['and', 'or', 'not'] : [])];
  switch (pick(g, choices)) {
    case 'cmp': return { kind: 'cmp', op: pick(g, ['eq', 'neq', 'lt', 'lte', 'gt', 'gte'] as const), left: numExpr(g, cols, depth), right: numExpr(g, cols, depth) };
    case 'streq': return { kind: 'cmp', op: pick(g, ['eq', 'neq'] as const), left: strExpr(g, cols, depth), right: strExpr(g, cols, 0) };
    case 'match': {
      const fn = pick(g, ['contains', 'startsWith', 'endsWith', 'regexMatch'] as const);
      return { kind: 'match', fn, arg: strExpr(g, cols, depth), pattern: fn === 'regexMatch' ? pick(g, ['^a', 'b$', 'a.?b']) : pick(g, ['a', 'b', 'ab']) };
    }
    case 'isNull': return { kind: 'isNull', arg: { kind: 'col', name: pick(g, all) } };
    case 'col': return { kind: 'col', name: pick(g, bools) };
    case 'and': case 'or': return { kind: pick(g, ['and', 'or'] as const), left: boolExpr(g, cols, depth - 1), right: boolExpr(g, cols, depth - 1) };
    case 'not': return { kind: 'not', arg: boolExpr(g, cols, depth - 1) };
    default: return lit(g(fc.boolean));
  }
}

function exprOf(g: Gen, cols: Columns, t: ColType): ExprNode {
  return t === 'num' ? numExpr(g, cols, 2) : t === 'str' ? strExpr(g, cols, 1) : boolExpr(g, cols, 1);
}

/**
 * Builds a random pipeline of 0–6 steps over `source`: filters, withColumns, select, drop, limit and
 * the given operators, keeping track of which columns (and types) exist so every plan is valid.
 */
export function randomPipeline(g: Gen, source: LogicalPlan, sourceColumns: Columns, ops: readonly OpChoice[]): LogicalPlan {
  let plan = source;
  const cols: Columns = new Map(sourceColumns);
  const steps = g(fc.integer, { min: 0, max: 6 });
  for (let i = 0; i < steps; i++) {
    const usable = ops.filter((o) => Object.entries(o.requires).every(([c, t]) => cols.get(c) === t));
    const kind = pick(g, ['filter', 'filter', 'withColumns', 'select', 'drop', 'limit', ...(usable.length ? ['apply', 'apply'] : [])]);
    switch (kind) {
      case 'filter':
        plan = { kind: 'filter', input: plan, predicate: boolExpr(g, cols, 2) };
        break;
      case 'withColumns': {
        const name = pick(g, [...cols.keys(), 'x', 'y']);
        const t = pick(g, ['num', 'str', 'bool'] as const);
        plan = { kind: 'withColumns', input: plan, columns: [{ name, expr: exprOf(g, cols, t) }] };
        cols.set(name, t);
        break;
      }
      case 'select': {
        const keep = [...cols.keys()].filter(() => g(fc.boolean));
        const columns = keep.map((name) => ({ name, expr: { kind: 'col', name } as ExprNode }));
        const next: Columns = new Map(keep.map((n) => [n, cols.get(n)!]));
        if (g(fc.boolean) || columns.length === 0) {
          const t = pick(g, ['num', 'str', 'bool'] as const);
          // A select names each output once (the analyzer refuses duplicates): a new `z` replaces a kept one.
          const kept = columns.findIndex((c) => c.name === 'z');
          if (kept >= 0) columns.splice(kept, 1);
          columns.push({ name: 'z', expr: exprOf(g, cols, t) });
          next.delete('z');
          next.set('z', t);
        }
        plan = { kind: 'select', input: plan, columns };
        cols.clear();
        for (const [n, t] of next) cols.set(n, t);
        break;
      }
      case 'drop': {
        if (cols.size < 2) break;
        const name = pick(g, [...cols.keys()]);
        plan = { kind: 'drop', input: plan, columns: [name] };
        cols.delete(name);
        break;
      }
      case 'limit':
        plan = { kind: 'limit', input: plan, n: g(fc.integer, { min: 0, max: 12 }) };
        break;
      case 'apply': {
        const o = pick(g, usable);
        plan = { kind: 'apply', input: plan, op: o.op, options: o.options, decl: o.decl };
        for (const [c, t] of Object.entries(o.produces)) cols.set(c, t);
        for (const c of o.decl.removes) cols.delete(c);
        break;
      }
    }
  }
  return plan;
}
