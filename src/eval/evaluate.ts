import type { RecordBatch, Vector } from 'apache-arrow';
import { makeVector } from 'apache-arrow';
import type { ExprNode } from '../plan/expr.ts';
import { arith, compare } from './compare.ts';
import { compiledPredicate, compiledSelection } from './compile.ts';
import { maskToIndices } from '../arrow/batch.ts';
import { isIn, isNull, logical, not } from './logic.ts';
import { matchFn, stringFn } from './strings.ts';
import { describe, loadColumn, toVector } from './values.ts';
import type { Val } from './values.ts';

/** Evaluates a node to an intermediate column over the batch's rows. */
export function evalVal(node: ExprNode, batch: RecordBatch): Val {
  const n = batch.numRows;
  switch (node.kind) {
    case 'col': return loadColumn(batch, node.name);
    case 'lit': return { t: 'scalar', value: node.value };
    case 'cmp': return compare(node.op, evalVal(node.left, batch), evalVal(node.right, batch), n);
    case 'arith': return arith(node.op, evalVal(node.left, batch), evalVal(node.right, batch), n);
    case 'and': case 'or': return logical(node.kind, evalVal(node.left, batch), evalVal(node.right, batch), n);
    case 'not': return not(evalVal(node.arg, batch), n);
    case 'isNull': return isNull(evalVal(node.arg, batch), n);
    case 'isIn': return isIn(evalVal(node.arg, batch), node.values, n);
    case 'str': return stringFn(node.fn, evalVal(node.arg, batch), n);
    case 'match': return matchFn(node.fn, evalVal(node.arg, batch), node.pattern, node.flags, n);
  }
}

/**
 * Evaluates an expression column-at-a-time over a batch. A bare column reference returns the
 * column itself (no copy); numbers compute in Float64 (string `length` gives Int32); scalars are
 * broadcast to the batch length.
 */
export function evaluate(node: ExprNode, batch: RecordBatch): Vector {
  if (node.kind === 'col') {
    const idx = batch.schema.fields.findIndex((f) => f.name === node.name);
    if (idx >= 0) return makeVector(batch.data.children[idx]!);
  }
  return toVector(evalVal(node, batch), batch.numRows);
}

/**
 * Evaluates a predicate to a keep-mask (1 = keep). Null counts as not kept, as in SQL WHERE.
 * A non-boolean predicate is an error.
 */
export function evalPredicate(node: ExprNode, batch: RecordBatch): Uint8Array {
  const fast = compiledPredicate(node, batch);
  if (fast) return fast;
  const n = batch.numRows;
  const v = evalVal(node, batch);
  if (v.t === 'scalar') {
    if (v.value !== null && typeof v.value !== 'boolean') throw new Error(`filter predicate must be boolean, got ${describe(v)}`);
    return new Uint8Array(n).fill(v.value === true ? 1 : 0);
  }
  if (v.t !== 'bool') throw new Error(`filter predicate must be boolean, got ${describe(v)}`);
  if (!v.valid) return v.v;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = v.v[i]! & v.valid[i]!;
  return out;
}

/** The indices of the rows a predicate keeps (null → not kept), in order: a selection vector. */
export function evalSelection(node: ExprNode, batch: RecordBatch): Int32Array {
  return compiledSelection(node, batch) ?? maskToIndices(evalPredicate(node, batch));
}
