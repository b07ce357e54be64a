import type { ExprNode, Scalar } from '../../plan/expr.ts';
import type { RowGroupInfo } from './footer.ts';

const FLIP = { eq: 'eq', neq: 'neq', lt: 'gt', lte: 'gte', gt: 'lt', gte: 'lte' } as const;

function byteCompare(a: string, b: string): number { return Buffer.compare(Buffer.from(a), Buffer.from(b)); }

/**
 * True when statistics prove that `predicate` is false or null for every row of the row group,
 * so the group need not be read. Conservative: anything it cannot reason about keeps the group.
 * String bounds are compared as UTF-8 bytes (Parquet's order) and used for equality tests only,
 * because expression evaluation orders strings by UTF-16 code units.
 */
export function canSkipRowGroup(predicate: ExprNode, rg: RowGroupInfo): boolean {
  switch (predicate.kind) {
    case 'lit': return predicate.value !== true;
    case 'and': return canSkipRowGroup(predicate.left, rg) || canSkipRowGroup(predicate.right, rg);
    case 'or': return canSkipRowGroup(predicate.left, rg) && canSkipRowGroup(predicate.right, rg);
    case 'isNull': {
      if (predicate.arg.kind !== 'col') return false;
      return rg.columns.get(predicate.arg.name)?.nullCount === 0;
    }
    case 'not': {
      const a = predicate.arg;
      if (a.kind === 'isNull' && a.arg.kind === 'col') return rg.columns.get(a.arg.name)?.nullCount === rg.numRows;
      return false;
    }
    case 'cmp': {
      let { op, left, right } = predicate;
      if (left.kind === 'lit' && right.kind === 'col') { [left, right] = [right, left]; op = FLIP[op]; }
      if (left.kind !== 'col' || right.kind !== 'lit') return false;
      return skipCompare(op, rg, left.name, right.value);
    }
    case 'isIn': {
      if (predicate.arg.kind !== 'col') return false;
      const name = predicate.arg.name;
      return predicate.values.every((v) => v === null || skipCompare('eq', rg, name, v));
    }
    default: return false;
  }
}

function skipCompare(op: keyof typeof FLIP, rg: RowGroupInfo, column: string, value: Scalar): boolean {
  const st = rg.columns.get(column);
  if (!st) return false;
  if (st.nullCount === rg.numRows && rg.numRows > 0) return true;
  if (value === null) return true;
  const { min, max } = st;
  if (min === undefined || max === undefined) return false;
  if (typeof value === 'number' && typeof min === 'number' && typeof max === 'number') {
    if (Number.isNaN(value)) return false;
    switch (op) {
      case 'eq': return value < min || value > max;
      case 'neq': return min === max && min === value;
      case 'lt': return min >= value;
      case 'lte': return min > value;
      case 'gt': return max <= value;
      case 'gte': return max < value;
    }
  }
  if (typeof value === 'string' && typeof min === 'string' && typeof max === 'string') {
    if (op === 'eq') return byteCompare(value, min) < 0 || byteCompare(value, max) > 0;
    if (op === 'neq') return min === max && min === value;
  }
  return false;
}
