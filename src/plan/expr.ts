/**
 * Expressions are plain, JSON-serializable trees (never closures) because plans cross into worker
 * threads and are hashed into the run fingerprint. `col('x').gt(3)` builds an {@link Expr} wrapper;
 * plans store only its `node`.
 */

/** A literal value an expression can hold. */
export type Scalar = string | number | boolean | null;

export type CompareOp = 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte';
export type ArithOp = 'add' | 'sub' | 'mul' | 'div' | 'mod';
export type StringFn = 'length' | 'lower';
export type MatchFn = 'contains' | 'startsWith' | 'endsWith' | 'regexMatch';

/** The serializable expression tree. */
export type ExprNode =
  | { kind: 'col'; name: string }
  | { kind: 'lit'; value: Scalar }
  | { kind: 'cmp'; op: CompareOp; left: ExprNode; right: ExprNode }
  | { kind: 'arith'; op: ArithOp; left: ExprNode; right: ExprNode }
  | { kind: 'and'; left: ExprNode; right: ExprNode }
  | { kind: 'or'; left: ExprNode; right: ExprNode }
  | { kind: 'not'; arg: ExprNode }
  | { kind: 'isNull'; arg: ExprNode }
  | { kind: 'isIn'; arg: ExprNode; values: Scalar[] }
  | { kind: 'str'; fn: StringFn; arg: ExprNode }
  | { kind: 'match'; fn: MatchFn; arg: ExprNode; pattern: string; flags?: string };

/** Anything a verb accepts where an expression is expected. */
export type ExprLike = Expr | ExprNode | Scalar;

/** Fluent wrapper over an {@link ExprNode}; immutable. */
export class Expr {
  constructor(readonly node: ExprNode) {}

  eq(other: ExprLike): Expr { return cmp('eq', this, other); }
  neq(other: ExprLike): Expr { return cmp('neq', this, other); }
  lt(other: ExprLike): Expr { return cmp('lt', this, other); }
  lte(other: ExprLike): Expr { return cmp('lte', this, other); }
  gt(other: ExprLike): Expr { return cmp('gt', this, other); }
  gte(other: ExprLike): Expr { return cmp('gte', this, other); }

  add(other: ExprLike): Expr { return arith('add', this, other); }
  sub(other: ExprLike): Expr { return arith('sub', this, other); }
  mul(other: ExprLike): Expr { return arith('mul', this, other); }
  div(other: ExprLike): Expr { return arith('div', this, other); }
  mod(other: ExprLike): Expr { return arith('mod', this, other); }

  and(other: ExprLike): Expr { return and(this, other); }
  or(other: ExprLike): Expr { return or(this, other); }
  not(): Expr { return not(this); }

  isNull(): Expr { return new Expr({ kind: 'isNull', arg: this.node }); }
  isNotNull(): Expr { return not(this.isNull()); }
  isIn(values: readonly Scalar[]): Expr { return new Expr({ kind: 'isIn', arg: this.node, values: [...values] }); }

  /** String length in UTF-16 code units, as JavaScript's `String.length`. */
  length(): Expr { return new Expr({ kind: 'str', fn: 'length', arg: this.node }); }
  lower(): Expr { return new Expr({ kind: 'str', fn: 'lower', arg: this.node }); }
  contains(pattern: string): Expr { return match('contains', this, pattern); }
  startsWith(pattern: string): Expr { return match('startsWith', this, pattern); }
  endsWith(pattern: string): Expr { return match('endsWith', this, pattern); }
  /** Matches a JavaScript regular expression (source and flags, so it stays serializable). */
  regexMatch(pattern: string | RegExp, flags?: string): Expr {
    const source = typeof pattern === 'string' ? pattern : pattern.source;
    const f = flags ?? (typeof pattern === 'string' ? undefined : pattern.flags);
    return new Expr({ kind: 'match', fn: 'regexMatch', arg: this.node, pattern: source, ...(f ? { flags: f } : {}) });
  }

  toJSON(): ExprNode { return this.node; }
}

/** Turns any accepted expression form into a plain node. */
export function toNode(e: ExprLike): ExprNode {
  if (e instanceof Expr) return e.node;
  if (e !== null && typeof e === 'object') return e;
  return { kind: 'lit', value: e };
}

/** A reference to a column by name. */
export function col(name: string): Expr { return new Expr({ kind: 'col', name }); }

/** A literal value. */
export function lit(value: Scalar): Expr { return new Expr({ kind: 'lit', value }); }

export function and(left: ExprLike, right: ExprLike): Expr {
  return new Expr({ kind: 'and', left: toNode(left), right: toNode(right) });
}

export function or(left: ExprLike, right: ExprLike): Expr {
  return new Expr({ kind: 'or', left: toNode(left), right: toNode(right) });
}

export function not(arg: ExprLike): Expr { return new Expr({ kind: 'not', arg: toNode(arg) }); }

function cmp(op: CompareOp, left: ExprLike, right: ExprLike): Expr {
  return new Expr({ kind: 'cmp', op, left: toNode(left), right: toNode(right) });
}

function arith(op: ArithOp, left: ExprLike, right: ExprLike): Expr {
  return new Expr({ kind: 'arith', op, left: toNode(left), right: toNode(right) });
}

function match(fn: MatchFn, arg: Expr, pattern: string): Expr {
  return new Expr({ kind: 'match', fn, arg: arg.node, pattern });
}

/** Names of the columns an expression reads, in first-seen order. */
export function columnsOf(node: ExprNode, into: string[] = []): string[] {
  switch (node.kind) {
    case 'col':
      if (!into.includes(node.name)) into.push(node.name);
      break;
    case 'lit':
      break;
    case 'cmp': case 'arith': case 'and': case 'or':
      columnsOf(node.left, into);
      columnsOf(node.right, into);
      break;
    case 'not': case 'isNull': case 'isIn': case 'str': case 'match':
      columnsOf(node.arg, into);
      break;
  }
  return into;
}
