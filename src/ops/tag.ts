import { z } from 'zod';
import { setColumn } from '../arrow/batch.ts';
import { utf8Vector } from '../arrow/utf8.ts';
import type { OperatorDecl } from '../plan/operator-decl.ts';
import { defineOperator, getOperator, parseOptions, type AnyOperator } from './operator.ts';

/** Options of the `tag` step; build it with `DataFrame.tag(op, options)` rather than by hand. */
export const tagOptions = z.object({
  /** The operator to run in tag mode, by registered name. */
  op: z.string().min(1),
  /** Its options, validated against its own schema. */
  options: z.record(z.string(), z.unknown()).default({}),
  /** Prefix of the columns written (default: the operator's name), to tag one operator twice. */
  prefix: z.string().min(1).optional(),
});
export type TagOptions = z.output<typeof tagOptions>;

interface Inner { op: AnyOperator; options: unknown; prefix: string }

function innerOf(o: TagOptions): Inner {
  const op = getOperator(o.op);
  return { op, options: parseOptions(op, o.options), prefix: o.prefix ?? o.op };
}

/** The verdict column of a tag step: the full drop reason, or null for a kept document. */
export const reasonColumn = (prefix: string): string => `${prefix}_reason`;

/** Every column a tag step writes besides the operator's own: the verdict, then each statistic. */
export function tagColumns(o: TagOptions): string[] {
  const { op, options, prefix } = innerOf(o);
  return [reasonColumn(prefix), ...(op.stats?.(options) ?? []).map((s) => `${prefix}_${s}`)];
}

/**
 * Runs a filtering operator but keeps every document (Dolma's tagger/mixer split): its drop reason
 * becomes the `<prefix>_reason` column and its statistics `<prefix>_<stat>` columns, so thresholds
 * can be chosen later without re-running the work before it. Quarantined documents stay
 * quarantined: they have no verdict to record. Wide operators cannot be tagged (their drops depend
 * on other partitions' documents, e.g. dedup).
 */
export const tag = defineOperator({
  name: 'tag',
  options: tagOptions,
  declare: (o): OperatorDecl => {
    const { op, options } = innerOf(o);
    const d = op.declare(options);
    if (d.kind !== 'narrow') throw new Error(`tag: operator "${o.op}" is wide; only narrow operators can be tagged`);
    return {
      reads: d.reads,
      writes: [...d.writes, ...tagColumns(o)],
      removes: d.removes,
      // The planner must not move predicates or limits across it as if it removed rows.
      filters: false,
      kind: 'narrow',
      costPerRow: d.costPerRow,
      selectivity: 1,
    };
  },
  init: async (o) => {
    const inner = innerOf(o);
    return { ...inner, state: await inner.op.init(inner.options) };
  },
  apply: async (s, batch, ctx) => {
    const res = await s.op.apply(s.state, batch, { heartbeat: (row) => ctx.heartbeat(row), statsPrefix: s.prefix });
    const reasons = Array.from({ length: batch.numRows }, (_, i) => res.drop?.[i] ?? null);
    return { batch: setColumn(res.batch, reasonColumn(s.prefix), utf8Vector(reasons)), quarantine: res.quarantine };
  },
});
