import type { RecordBatch } from 'apache-arrow';
import { Type } from 'apache-arrow';
import type { ExprNode } from '../plan/expr.ts';

type Kernel = (cols: ArrayLike<number>[], n: number, out: Uint8Array | Int32Array) => number;

const OPS = { eq: '===', neq: '!==', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;
const FLIP = { eq: 'eq', neq: 'neq', lt: 'gt', lte: 'gte', gt: 'lt', gte: 'lte' } as const;
const kernels = new Map<string, { mask: Kernel; select: Kernel }>();
let scratch = new Int32Array(0);

/**
 * Compiles the common hot predicate shape — comparisons of null-free numeric columns with number
 * literals, combined with and/or/not — into one generated loop over the typed arrays, as a hand
 * loop would be written (Arquero compiles expressions the same way). Without nulls, SQL's
 * three-valued logic reduces to plain booleans, so the result equals the general evaluator's.
 * Returns undefined when the predicate or the columns do not fit; the caller then uses the
 * general evaluator. Kernels are cached per expression shape and column array types, so each
 * generated loop stays monomorphic.
 */
export function compiledPredicate(node: ExprNode, batch: RecordBatch): Uint8Array | undefined {
  const k = compile(node, batch);
  if (!k) return undefined;
  const out = new Uint8Array(batch.numRows);
  k.mask(k.cols, batch.numRows, out);
  return out;
}

/** Like {@link compiledPredicate}, but returns the indices of the kept rows (a selection vector). */
export function compiledSelection(node: ExprNode, batch: RecordBatch): Int32Array | undefined {
  const k = compile(node, batch);
  if (!k) return undefined;
  // Selections are usually much smaller than the batch: fill a reused scratch buffer and copy out
  // only the kept indices, instead of allocating (and retaining) a batch-sized array each time.
  if (scratch.length < batch.numRows) scratch = new Int32Array(batch.numRows);
  return scratch.slice(0, k.select(k.cols, batch.numRows, scratch));
}

function compile(node: ExprNode, batch: RecordBatch): { cols: ArrayLike<number>[]; mask: Kernel; select: Kernel } | undefined {
  const cols: ArrayLike<number>[] = [];
  const types: string[] = [];
  const names = new Map<string, number>();
  const fields = batch.schema.fields;
  const emit = (e: ExprNode): string | undefined => {
    switch (e.kind) {
      case 'and': case 'or': {
        const l = emit(e.left), r = emit(e.right);
        return l && r ? `(${l} ${e.kind === 'and' ? '&&' : '||'} ${r})` : undefined;
      }
      case 'not': { const a = emit(e.arg); return a ? `!${a}` : undefined; }
      case 'cmp': {
        let { op, left, right } = e;
        if (left.kind === 'lit' && right.kind === 'col') { [left, right] = [right, left]; op = FLIP[op]; }
        if (left.kind !== 'col' || right.kind !== 'lit' || typeof right.value !== 'number') return undefined;
        let k = names.get(left.name);
        if (k === undefined) {
          const at = fields.findIndex((f) => f.name === left.name);
          if (at < 0) return undefined;
          const data = batch.data.children[at]!;
          if ((data.typeId !== Type.Int && data.typeId !== Type.Float) || data.nullCount > 0) return undefined;
          const values = data.values as unknown as ArrayLike<number>;
          if (values instanceof BigInt64Array || values instanceof BigUint64Array || values instanceof Uint16Array && data.typeId === Type.Float) return undefined;
          k = cols.length;
          names.set(left.name, k);
          cols.push(values);
          types.push(values.constructor.name);
        }
        return `(c${k}[i] ${OPS[op]} ${String(right.value)})`;
      }
      default: return undefined;
    }
  };
  const body = emit(node);
  if (!body) return undefined;
  const key = `${types.join(',')}|${body}`;
  let pair = kernels.get(key);
  if (!pair) {
    const args = cols.map((_, k) => `const c${k} = cols[${k}];`).join(' ');
    pair = {
      mask: new Function('cols', 'n', 'out', `${args} for (let i = 0; i < n; i++) out[i] = ${body} ? 1 : 0; return n;`) as Kernel,
      select: new Function('cols', 'n', 'out', `${args} let j = 0; for (let i = 0; i < n; i++) if (${body}) out[j++] = i; return j;`) as Kernel,
    };
    if (kernels.size > 500) kernels.clear();
    kernels.set(key, pair);
  }
  return { cols, ...pair };
}
