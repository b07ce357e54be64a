import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { col, lit, and, or, not } from '../../src/plan/expr.ts';
import type { ExprNode, Scalar } from '../../src/plan/expr.ts';
import { evaluate, evalPredicate, evalSelection } from '../../src/eval/evaluate.ts';
import { rowsToBatch } from '../../src/arrow/from-rows.ts';
import type { Row } from '../../src/arrow/from-rows.ts';

const fields = [
  { name: 'n', type: 'Float64' }, { name: 'i', type: 'Int32' }, { name: 's', type: 'Utf8' }, { name: 'b', type: 'Bool' },
];
const rows: Row[] = [
  { n: 1.5, i: 3, s: 'Hello World', b: true },
  { n: null, i: -2, s: 'héllo wörld 😀', b: false },
  { n: 0, i: null, s: null, b: null },
  { n: -7, i: 10, s: '', b: true },
  { n: 42, i: 0, s: 'ABCabc', b: false },
];
const batch = rowsToBatch(rows, fields);
const values = (e: { node: ExprNode } | ExprNode) => evaluate('node' in e ? e.node : e, batch).toArray();
const list = (e: { node: ExprNode }) => Array.from({ length: batch.numRows }, (_, k) => evaluate(e.node, batch).get(k));
const mask = (e: { node: ExprNode }) => Array.from(evalPredicate(e.node, batch));

describe('evaluate', () => {
  it('returns a referenced column as is', () => {
    expect(list(col('s'))).toEqual(rows.map((r) => r.s));
  });

  it('compares numbers with SQL null semantics', () => {
    expect(list(col('n').gt(0))).toEqual([true, null, false, false, true]);
    expect(list(lit(0).lt(col('n')))).toEqual([true, null, false, false, true]);
    expect(list(col('i').eq(col('n')))).toEqual([false, null, null, false, false]);
    expect(list(col('n').neq(null))).toEqual([null, null, null, null, null]);
    expect(mask(col('n').gte(0))).toEqual([1, 0, 1, 0, 1]);
    expect(mask(col('n').lte(0))).toEqual([0, 0, 1, 1, 0]);
  });

  it('compares strings byte-wise for equality and by code units for order', () => {
    expect(list(col('s').eq('ABCabc'))).toEqual([false, false, null, false, true]);
    expect(list(col('s').neq(''))).toEqual([true, true, null, false, true]);
    expect(list(col('s').lt('I'))).toEqual([true, false, null, true, true]);
  });

  it('compares booleans', () => {
    expect(list(col('b').eq(true))).toEqual([true, false, null, true, false]);
  });

  it('does arithmetic in Float64 with null on division by zero', () => {
    expect(list(col('i').add(1))).toEqual([4, -1, null, 11, 1]);
    expect(list(col('n').mul(col('i')))).toEqual([4.5, null, null, -70, 0]);
    expect(list(col('i').div(col('i')))).toEqual([1, 1, null, 1, null]);
    expect(list(col('i').mod(3))).toEqual([0, -2, null, 1, 0]);
    expect(list(col('i').sub(lit(1)))).toEqual([2, -3, null, 9, -1]);
  });

  it('applies Kleene logic to and/or/not', () => {
    const p = col('n').gt(0); // [T, null, F, F, T]
    const q = col('b');       // [T, F, null, T, F]
    expect(list(and(p, q))).toEqual([true, false, false, false, false]);
    expect(list(or(p, q))).toEqual([true, null, null, true, true]);
    expect(list(not(p))).toEqual([false, null, true, true, false]);
    expect(list(and(p, lit(null)))).toEqual([null, null, false, false, null]);
    expect(list(or(p, lit(null)))).toEqual([true, null, null, null, true]);
    expect(mask(or(p, q))).toEqual([1, 0, 0, 1, 1]);
  });

  it('tests nulls and membership', () => {
    expect(list(col('s').isNull())).toEqual([false, false, true, false, false]);
    expect(list(col('n').isNotNull())).toEqual([true, false, true, true, true]);
    expect(list(col('i').isIn([3, 10]))).toEqual([true, false, null, true, false]);
    expect(list(col('s').isIn(['', 'ABCabc']))).toEqual([false, false, null, true, true]);
    expect(list(col('i').isIn([3, null]))).toEqual([true, null, null, null, null]);
  });

  it('computes string functions on raw bytes', () => {
    expect(list(col('s').length())).toEqual(rows.map((r) => (r.s === null ? null : (r.s as string).length)));
    expect(list(col('s').lower())).toEqual(rows.map((r) => (r.s === null ? null : (r.s as string).toLowerCase())));
    expect(list(col('s').contains('llo'))).toEqual([true, true, null, false, false]);
    expect(list(col('s').contains('ö'))).toEqual([false, true, null, false, false]);
    expect(list(col('s').startsWith('h'))).toEqual([false, true, null, false, false]);
    expect(list(col('s').endsWith('😀'))).toEqual([false, true, null, false, false]);
    expect(list(col('s').regexMatch(/^[a-z]+ w/i))).toEqual([true, false, null, false, false]);
    expect(list(col('s').lower().contains('abcabc'))).toEqual([false, false, null, false, true]);
  });

  it('broadcasts literals', () => {
    expect(values(lit(2))).toEqual(new Float64Array([2, 2, 2, 2, 2]));
    expect(list(lit('x'))).toEqual(['x', 'x', 'x', 'x', 'x']);
  });

  it('names the available columns when one is unknown', () => {
    expect(() => evaluate(col('nope').gt(1).node, batch)).toThrow(/unknown column "nope".*available: n, i, s, b/);
  });

  it('rejects type errors clearly', () => {
    expect(() => evaluate(col('s').gt(1).node, batch)).toThrow(/cannot compare string with number/);
    expect(() => evalPredicate(col('n').node, batch)).toThrow(/must be boolean/);
    expect(() => evaluate(col('n').contains('x').node, batch)).toThrow(/contains needs a string/);
  });

  it('works on sliced batches', () => {
    const sliced = batch.slice(1, 4);
    expect(Array.from(evalPredicate(col('s').contains('o').node, sliced))).toEqual([1, 0, 0]);
    expect(evaluate(col('s').length().node, sliced).toArray()).toEqual(new Int32Array([14, 0, 0]));
  });
});

// Reference semantics, row by row, for the property test.
function ref(e: ExprNode, r: Row): Scalar {
  switch (e.kind) {
    case 'col': return (r[e.name] ?? null) as Scalar;
    case 'lit': return e.value;
    case 'cmp': {
      const a = ref(e.left, r), b = ref(e.right, r);
      if (a === null || b === null) return null;
      return { eq: a === b, neq: a !== b, lt: a < b, lte: a <= b, gt: a > b, gte: a >= b }[e.op];
    }
    case 'and': { const a = ref(e.left, r), b = ref(e.right, r); return a === false || b === false ? false : a === null || b === null ? null : true; }
    case 'or': { const a = ref(e.left, r), b = ref(e.right, r); return a === true || b === true ? true : a === null || b === null ? null : false; }
    case 'not': { const a = ref(e.arg, r); return a === null ? null : !a; }
    case 'match': {
      const a = ref(e.arg, r) as string | null;
      if (a === null) return null;
      return e.fn === 'contains' ? a.includes(e.pattern) : e.fn === 'startsWith' ? a.startsWith(e.pattern) : a.endsWith(e.pattern);
    }
    default: throw new Error('not in the generated subset');
  }
}

describe('evaluate matches a row-by-row reference', () => {
  const word = fc.constantFrom('a', 'b', 'ab', 'ba', 'é', '', 'aab');
  const rowArb = fc.record({ x: fc.option(fc.integer({ min: -3, max: 3 })), t: fc.option(fc.array(word, { maxLength: 4 }).map((a) => a.join(''))) });
  const leaf: fc.Arbitrary<ExprNode> = fc.oneof(
    fc.tuple(fc.constantFrom('eq', 'neq', 'lt', 'lte', 'gt', 'gte' as const), fc.integer({ min: -3, max: 3 }))
      .map(([op, v]) => ({ kind: 'cmp', op, left: { kind: 'col', name: 'x' }, right: { kind: 'lit', value: v } }) as ExprNode),
    fc.tuple(fc.constantFrom('contains', 'startsWith', 'endsWith' as const), word)
      .map(([fn, p]) => ({ kind: 'match', fn, arg: { kind: 'col', name: 't' }, pattern: p }) as ExprNode),
  );
  const expr = fc.letrec<{ e: ExprNode }>((tie) => ({
    e: fc.oneof({ depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(tie('e'), tie('e')).map(([l, r]) => ({ kind: 'and', left: l, right: r }) as ExprNode),
      fc.tuple(tie('e'), tie('e')).map(([l, r]) => ({ kind: 'or', left: l, right: r }) as ExprNode),
      tie('e').map((a) => ({ kind: 'not', arg: a }) as ExprNode)),
  })).e;

  it('for random rows and predicates', () => {
    fc.assert(fc.property(fc.array(rowArb, { minLength: 1, maxLength: 30 }), expr, (rs, e) => {
      const b = rowsToBatch(rs as Row[], [{ name: 'x', type: 'Float64' }, { name: 't', type: 'Utf8' }]);
      const got = Array.from(evalPredicate(e, b));
      const want = rs.map((r) => (ref(e, r as Row) === true ? 1 : 0));
      expect(got).toEqual(want);
    }), { numRuns: 300 });
  });
});

describe('compiled numeric predicates', () => {
  const num = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(Number.NaN), fc.double({ min: -3, max: 3, noNaN: true }));
  const cmpLeaf: fc.Arbitrary<ExprNode> = fc.tuple(fc.constantFrom('eq', 'neq', 'lt', 'lte', 'gt', 'gte' as const), fc.constantFrom('x', 'y'), fc.integer({ min: -3, max: 3 }), fc.boolean())
    .map(([op, c, v, flip]) => {
      const colNode: ExprNode = { kind: 'col', name: c }, litNode: ExprNode = { kind: 'lit', value: v };
      return { kind: 'cmp', op, left: flip ? litNode : colNode, right: flip ? colNode : litNode } as ExprNode;
    });
  const pred = fc.letrec<{ e: ExprNode }>((tie) => ({
    e: fc.oneof({ depthSize: 'small', withCrossShrink: true }, cmpLeaf,
      fc.tuple(tie('e'), tie('e')).map(([l, r]) => ({ kind: 'and', left: l, right: r }) as ExprNode),
      fc.tuple(tie('e'), tie('e')).map(([l, r]) => ({ kind: 'or', left: l, right: r }) as ExprNode),
      tie('e').map((a) => ({ kind: 'not', arg: a }) as ExprNode)),
  })).e;

  it('keep exactly the rows of the row-by-row reference (no nulls, NaN included)', () => {
    fc.assert(fc.property(fc.array(fc.record({ x: fc.integer({ min: -3, max: 3 }), y: num }), { minLength: 1, maxLength: 40 }), pred, (rs, e) => {
      const b = rowsToBatch(rs, [{ name: 'x', type: 'Int32' }, { name: 'y', type: 'Float64' }]);
      const want = rs.map((r) => (ref(e, r) === true ? 1 : 0));
      expect(Array.from(evalPredicate(e, b))).toEqual(want);
      expect(Array.from(evalSelection(e, b))).toEqual(want.flatMap((k, i) => (k ? [i] : [])));
    }), { numRuns: 300 });
  });
});
