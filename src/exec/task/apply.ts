import type { RecordBatch } from 'apache-arrow';
import { concatBatches } from '../../arrow/batch.ts';
import { conformBatch, unifySchemas } from '../../arrow/schema.ts';
import { getOperator, parseOptions } from '../../ops/operator.ts';
import type { AnyOperator, ApplyContext, OperatorResult } from '../../ops/operator.ts';
import { dropSetOf } from './steps.ts';
import type { DropSet, StepResult } from './steps.ts';

/** Operator state from `init`, cached per (operator, options) for the life of the thread. */
const states = new Map<string, Promise<unknown>>();

/** A resolved `apply` step: the operator, its validated options and its (shared) state. */
export interface PreparedApply {
  op: AnyOperator;
  state: unknown;
}

export async function prepareApply(name: string, options: Record<string, unknown>): Promise<PreparedApply> {
  const op = getOperator(name);
  const parsed = parseOptions(op, options);
  const key = `${name}\u0000${JSON.stringify(parsed)}`;
  let state = states.get(key);
  if (!state) {
    state = Promise.resolve().then(() => op.init(parsed));
    states.set(key, state);
    // A failed init must not poison later attempts (e.g. after the cause is fixed in a retry).
    state.catch(() => states.delete(key));
  }
  return { op, state: await state };
}

function message(e: unknown): string {
  return e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
}

async function applyOnce(p: PreparedApply, batch: RecordBatch, ctx: ApplyContext): Promise<OperatorResult> {
  const res = await p.op.apply(p.state, batch, ctx);
  if (!res || !res.batch || res.batch.numRows !== batch.numRows) {
    throw new Error(`operator "${p.op.name}" returned ${res?.batch?.numRows ?? 'no'} rows for a batch of ${batch.numRows}; ` +
      'operators must return every input row and mark removals with drop/quarantine');
  }
  for (const [what, list] of [['drop', res.drop], ['quarantine', res.quarantine]] as const) {
    if (list && list.length !== batch.numRows) {
      throw new Error(`operator "${p.op.name}" returned ${list.length} ${what} entries for ${batch.numRows} rows`);
    }
  }
  return res;
}

function toStepResult(res: OperatorResult, n: number): StepResult {
  const keep = new Uint8Array(n).fill(1);
  const drops = new Map<string, number[]>();
  const quarantines: { row: number; error: string }[] = [];
  let removed = 0;
  for (let i = 0; i < n; i++) {
    const q = res.quarantine?.[i];
    if (q) { keep[i] = 0; removed++; quarantines.push({ row: i, error: q }); continue; }
    const d = res.drop?.[i];
    if (d) {
      keep[i] = 0; removed++;
      let l = drops.get(d);
      if (!l) drops.set(d, (l = []));
      l.push(i);
    }
  }
  return { full: res.batch, keep: removed ? keep : null, drops: toDropSets(drops), quarantines };
}

function toDropSets(drops: Map<string, number[]>): Map<string, DropSet> {
  return new Map([...drops].map(([reason, rows]) => [reason, dropSetOf(rows)]));
}

/**
 * Applies an operator to a batch. If it throws, the batch is re-run one row at a time so that
 * exactly the documents it fails on are quarantined (with the error message) and the others go on.
 */
export async function applyStep(p: PreparedApply, batch: RecordBatch, ctx: ApplyContext): Promise<StepResult> {
  try {
    return toStepResult(await applyOnce(p, batch, ctx), batch.numRows);
  } catch (batchError) {
    if (batch.numRows <= 1) {
      return { full: batch, keep: new Uint8Array(batch.numRows), drops: new Map<string, DropSet>(), quarantines: batch.numRows ? [{ row: 0, error: message(batchError) }] : [] };
    }
    return isolate(p, batch, ctx);
  }
}

async function isolate(p: PreparedApply, batch: RecordBatch, ctx: ApplyContext): Promise<StepResult> {
  const n = batch.numRows;
  const keep = new Uint8Array(n);
  const drops = new Map<string, number[]>();
  const quarantines: { row: number; error: string }[] = [];
  const okRows: RecordBatch[] = [];
  const okIndex: number[] = [];
  for (let i = 0; i < n; i++) {
    const one = batch.slice(i, i + 1);
    const rowCtx: ApplyContext = { heartbeat: () => ctx.heartbeat(i) };
    let res: OperatorResult;
    try {
      res = await applyOnce(p, one, rowCtx);
    } catch (e) {
      quarantines.push({ row: i, error: message(e) });
      continue;
    }
    const r = toStepResult(res, 1);
    okRows.push(res.batch);
    okIndex.push(i);
    if (r.quarantines.length) quarantines.push({ row: i, error: r.quarantines[0]!.error });
    else if (r.drops.size) {
      const reason = [...r.drops.keys()][0]!;
      let l = drops.get(reason);
      if (!l) drops.set(reason, (l = []));
      l.push(i);
    } else keep[i] = 1;
  }
  // `full` must hold every input row; rows that threw keep their input values, conformed to the
  // operator's output schema (its added columns null, its removed columns gone).
  const parts: RecordBatch[] = [];
  let k = 0;
  for (let i = 0; i < n; i++) parts.push(okIndex[k] === i ? okRows[k++]! : batch.slice(i, i + 1));
  const schema = okRows.length ? unifySchemas(okRows.map((b) => b.schema)) : batch.schema;
  const full = concatBatches(parts.map((b) => conformBatch(b, schema)));
  quarantines.sort((a, b) => a.row - b.row);
  return { full, keep, drops: toDropSets(drops), quarantines };
}
