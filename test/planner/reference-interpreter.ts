import type { ExprNode, Scalar } from '../../src/plan/expr.ts';
import type { LogicalPlan } from '../../src/plan/logical-plan.ts';

/**
 * A deliberately naive row-at-a-time interpreter of logical plans, written from the plan contract
 * alone, so optimizer tests can check "same rows" without depending on the Arrow runtime.
 * Test operators are looked up in `ops` by name; a scan reads `source.options.rows`.
 */
export type Row = Record<string, Scalar>;
export type TestOp = (row: Row) => { row: Row; keep: boolean };

export function interpret(plan: LogicalPlan, ops: Record<string, TestOp>): Row[] {
  switch (plan.kind) {
    case 'scan': {
      let rows = (plan.source.options?.rows as Row[]).map((r) => ({ ...r }));
      if (plan.columns) rows = rows.map((r) => Object.fromEntries(plan.columns!.map((c) => [c, r[c] ?? null])));
      return plan.limit === undefined ? rows : rows.slice(0, plan.limit);
    }
    case 'filter':
      return interpret(plan.input, ops).filter((r) => evaluate(plan.predicate, r) === true);
    case 'select':
      return interpret(plan.input, ops).map((r) => Object.fromEntries(plan.columns.map((c) => [c.name, evaluate(c.expr, r)])));
    case 'withColumns':
      return interpret(plan.input, ops).map((r) => ({ ...r, ...Object.fromEntries(plan.columns.map((c) => [c.name, evaluate(c.expr, r)])) }));
    case 'drop':
      return interpret(plan.input, ops).map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !plan.columns.includes(k))));
    case 'apply': {
      const op = ops[plan.op];
      if (!op) throw new Error(`no test operator ${plan.op}`);
      const out: Row[] = [];
      for (const r of interpret(plan.input, ops)) {
        for (const c of plan.decl.reads) if (!(c in r)) throw new Error(`${plan.op} reads missing column ${c}`);
        const res = op(r);
        if (res.keep) out.push(res.row);
      }
      return out;
    }
    case 'limit':
      return interpret(plan.input, ops).slice(0, plan.n);
    case 'union':
      return plan.inputs.flatMap((p) => interpret(p, ops));
    default:
      throw new Error(`reference interpreter does not run ${plan.kind}`);
  }
}

function num(v: Scalar): number | null {
  return typeof v === 'number' ? v : null;
}

/** SQL semantics: null in, null out; AND/OR are three-valued. */
export function evaluate(e: ExprNode, row: Row): Scalar {
  switch (e.kind) {
    case 'col':
      if (!(e.name in row)) throw new Error(`missing column ${e.name}`);
      return row[e.name]!;
    case 'lit': return e.value;
    case 'cmp': {
      const a = evaluate(e.left, row), b = evaluate(e.right, row);
      if (a === null || b === null) return null;
      switch (e.op) {
        case 'eq': return a === b;
        case 'neq': return a !== b;
        case 'lt': return a < b;
        case 'lte': return a <= b;
        case 'gt': return a > b;
        case 'gte': return a >= b;
      }
      return null;
    }
    case 'arith': {
      const a = num(evaluate(e.left, row)), b = num(evaluate(e.right, row));
      if (a === null || b === null) return null;
      switch (e.op) {
        case 'add': return a + b;
        case 'sub': return a - b;
        case 'mul': return a * b;
        case 'div': return b === 0 ? null : a / b;
        case 'mod': return b === 0 ? null : a % b;
      }
      return null;
    }
    case 'and': case 'or': {
      const a = evaluate(e.left, row), b = evaluate(e.right, row);
      const dominant = e.kind === 'and' ? false : true;
      if (a === dominant || b === dominant) return dominant;
      if (a === null || b === null) return null;
      return !dominant;
    }
    case 'not': {
      const a = evaluate(e.arg, row);
      return a === null ? null : !a;
    }
    case 'isNull': return evaluate(e.arg, row) === null;
    case 'isIn': {
      const a = evaluate(e.arg, row);
      return a === null ? null : e.values.includes(a);
    }
    case 'str': {
      const a = evaluate(e.arg, row);
      if (typeof a !== 'string') return null;
      return e.fn === 'length' ? a.length : a.toLowerCase();
    }
    case 'match': {
      const a = evaluate(e.arg, row);
      if (typeof a !== 'string') return null;
      switch (e.fn) {
        case 'contains': return a.includes(e.pattern);
        case 'startsWith': return a.startsWith(e.pattern);
        case 'endsWith': return a.endsWith(e.pattern);
        case 'regexMatch': return new RegExp(e.pattern, e.flags).test(a);
      }
      return null;
    }
  }
}
