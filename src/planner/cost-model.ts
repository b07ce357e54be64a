import type { ExprNode } from '../plan/expr.ts';

/**
 * A deliberately simple cost model for filter expressions, used to order filtering steps against
 * operators, whose `costPerRow` (ns) and `selectivity` come from their declarations.
 *
 * Cost: nanoseconds per row, order-of-magnitude figures for column-at-a-time evaluation over a
 * document-sized (~2 KB) string column on one core. Column reads and literals are free; comparisons
 * and arithmetic ~2 ns; string length needs a UTF-8 decode pass (~30 ns); prefix/suffix checks ~20 ns;
 * substring search ~150 ns, lowercasing ~200 ns; a regular expression ~1 µs. Only the relative order
 * matters, and it is stable: anything on text costs more than anything on numbers.
 *
 * Selectivity (fraction of rows kept) uses the classic System R defaults (Selinger et al., 1979):
 * equality 1/10, range comparisons 1/3, `IN` 1/10 per value (capped at 1/2), IS NULL 1/10; string
 * matches 1/4; AND multiplies, OR adds minus the overlap, NOT complements (independence assumed).
 */
export function exprCost(e: ExprNode): number {
  switch (e.kind) {
    case 'col': case 'lit': return 0;
    case 'cmp': case 'arith': return 2 + exprCost(e.left) + exprCost(e.right);
    case 'and': case 'or': return 1 + exprCost(e.left) + exprCost(e.right);
    case 'not': case 'isNull': return 1 + exprCost(e.arg);
    case 'isIn': return 2 + e.values.length + exprCost(e.arg);
    case 'str': return (e.fn === 'length' ? 30 : 200) + exprCost(e.arg);
    case 'match': {
      const base = e.fn === 'regexMatch' ? 1000 : e.fn === 'contains' ? 150 : 20;
      return base + exprCost(e.arg);
    }
  }
}

/** Estimated fraction of rows for which the predicate is true, in [0, 1]. */
export function exprSelectivity(e: ExprNode): number {
  switch (e.kind) {
    case 'lit': return e.value === true ? 1 : 0;
    case 'col': return 0.5;
    case 'cmp': return e.op === 'eq' ? 0.1 : e.op === 'neq' ? 0.9 : 1 / 3;
    case 'and': return exprSelectivity(e.left) * exprSelectivity(e.right);
    case 'or': {
      const [a, b] = [exprSelectivity(e.left), exprSelectivity(e.right)];
      return a + b - a * b;
    }
    case 'not': return 1 - exprSelectivity(e.arg);
    case 'isNull': return 0.1;
    case 'isIn': return Math.min(0.1 * e.values.length, 0.5);
    case 'match': return 0.25;
    case 'str': case 'arith': return 0.5;
  }
}

/**
 * Rank of a filtering step: cost / (1 − selectivity), the cost paid per row removed. Running steps
 * in increasing rank minimizes expected total cost for independent filters (the classic result for
 * ordering expensive predicates, Hellerstein & Stonebraker 1993). A step that keeps every row has
 * infinite rank and goes last.
 */
export function filterRank(costPerRow: number, selectivity: number): number {
  const removed = 1 - selectivity;
  return removed <= 0 ? Number.POSITIVE_INFINITY : costPerRow / removed;
}
