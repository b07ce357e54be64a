import type { RecordBatch } from 'apache-arrow';
import type { z } from 'zod';
import { setColumn } from '../../arrow/batch.ts';
import { utf8Vector } from '../../arrow/utf8.ts';
import type { OperatorDecl } from '../../plan/operator-decl.ts';
import { defineOperator, type ApplyContext, type Operator, type OperatorResult } from '../operator.ts';
import { readTextColumn } from '../text/columns.ts';
import { NO_STATS, StatColumns, type FilterStats } from './filter-stats.ts';

/**
 * What a filter declares to the planner besides its reasons: `filters` and `dropReasons` are
 * derived from {@link FilterSpec.reasons}; `writes`, `removes` default to none, `kind` to narrow.
 */
export type FilterDecl = Pick<OperatorDecl, 'reads' | 'costPerRow' | 'selectivity'>
  & Partial<Pick<OperatorDecl, 'writes' | 'removes' | 'kind'>>;

/** A per-document verdict that also rewrites the document, e.g. C4 keeping only its good lines. */
export interface Rewrite {
  /** Short reason to drop the document, or null to keep it. */
  reason: string | null;
  /** The document's new text (a dropped document usually keeps its input, for inspection). */
  text: string;
}

/** A batch-level verdict: the annotated batch (same rows) and short reasons per row. */
export interface BatchVerdict {
  batch: RecordBatch;
  /** Per row: a short reason drops it, `null`/`undefined` keeps it; omitted keeps every row. */
  drop?: ReadonlyArray<string | null | undefined>;
  quarantine?: ReadonlyArray<string | null | undefined>;
}

/** Judges each document of the text column, decoded once per batch. */
interface CheckBody<Options, State, Stat extends string> {
  /** The Utf8 column holding the text to judge (nulls are judged as empty text). */
  column: (options: Options) => string;
  /** Returns a short reason to drop the document or null to keep it; records its statistics in `stats`. */
  check: (state: State, text: string, row: number, stats: FilterStats<Stat>) => string | null;
  rewrite?: never;
  checkBatch?: never;
}

/** Judges each document and replaces the text column with the rewritten texts. */
interface RewriteBody<Options, State, Stat extends string> {
  /** The Utf8 column read and rewritten (declare it in `writes`). */
  column: (options: Options) => string;
  rewrite: (state: State, text: string, row: number, stats: FilterStats<Stat>) => Rewrite;
  check?: never;
  checkBatch?: never;
}

/**
 * Judges a whole batch, for filters whose fast path reads Arrow buffers directly or that write
 * annotation columns; it calls `ctx.heartbeat` itself. Its `stats` are not supported: the
 * annotation columns it always writes are its statistics.
 */
interface BatchBody<State> {
  checkBatch: (state: State, batch: RecordBatch, ctx: ApplyContext) => BatchVerdict;
  column?: never;
  check?: never;
  rewrite?: never;
}

/** A document filter: its reasons are short names, prefixed with `<name>:` by {@link defineFilter}. */
export type FilterSpec<Schema extends z.ZodType, State, Stat extends string = string> = {
  /** Operator name; also the prefix of every drop reason. */
  name: string;
  options: Schema;
  /** Every short reason the check can return for these options, e.g. `dup_line_frac`. */
  reasons: readonly string[] | ((options: z.output<Schema>) => readonly string[]);
  /**
   * Every numeric statistic the check records (per-document checks only), e.g. `word_count`; in
   * tag mode each becomes a Float64 column `<name>_<stat>`. A threshold on these columns must
   * be able to reproduce the check's verdict.
   */
  stats?: readonly Stat[] | ((options: z.output<Schema>) => readonly Stat[]);
  declare: (options: z.output<Schema>) => FilterDecl;
  /** Once per worker (scratch buffers, models, word lists); without it the state is the options. */
  init?: (options: z.output<Schema>) => State | Promise<State>;
} & (CheckBody<z.output<Schema>, State, Stat> | RewriteBody<z.output<Schema>, State, Stat> | BatchBody<State>);

/** What the workers hold for a filter: its own state plus the resolved column and reason names. */
export interface FilterState<State> {
  state: State;
  /** The text column of per-document checks; null for batch-level ones. */
  column: string | null;
  /** Short reason → `<name>:<short>`, so no reason string is built per document. */
  reasons: ReadonlyMap<string, string>;
  /** The statistics recorded in tag mode, in declaration order. */
  stats: readonly string[];
}

/**
 * Builds a filter operator from a per-document check (or a batch-level one): loops over the
 * documents with a heartbeat each, prefixes every reason with `<name>:`, and declares the
 * prefixed reasons, so reported reasons always name the step that dropped the document. A check
 * that returns a reason it did not declare is a bug: the batch fails with that reason named.
 */
export function defineFilter<Schema extends z.ZodType, State = z.output<Schema>, const Stat extends string = string>(
  spec: FilterSpec<Schema, State, Stat>,
): Operator<Schema, FilterState<State>> {
  const { name } = spec;
  const reasonsOf = (o: z.output<Schema>): readonly string[] => (typeof spec.reasons === 'function' ? spec.reasons(o) : spec.reasons);
  const statsOf = (o: z.output<Schema>): readonly string[] => (typeof spec.stats === 'function' ? spec.stats(o) : spec.stats ?? []);

  const resolve = (short: string | null | undefined, reasons: ReadonlyMap<string, string>): string | null => {
    if (short === null || short === undefined) return null;
    const full = reasons.get(short);
    if (full === undefined) throw new Error(`${name}: undeclared drop reason "${short}" (declared: ${[...reasons.keys()].join(', ')})`);
    return full;
  };

  const perDocument = (s: FilterState<State>, batch: RecordBatch, ctx: ApplyContext): OperatorResult => {
    const texts = readTextColumn(batch, s.column!, name);
    const drop = new Array<string | null>(texts.length);
    const tagged = ctx.statsPrefix !== undefined && s.stats.length > 0 ? new StatColumns(s.stats, texts.length, name) : null;
    const statsAt = (row: number): FilterStats<Stat> => (tagged ? tagged.at(row) : NO_STATS);
    let out = batch;
    if (spec.check) {
      for (let i = 0; i < texts.length; i++) {
        ctx.heartbeat(i);
        drop[i] = resolve(spec.check(s.state, texts[i]!, i, statsAt(i)), s.reasons);
      }
    } else {
      const rewritten = new Array<string>(texts.length);
      for (let i = 0; i < texts.length; i++) {
        ctx.heartbeat(i);
        const r = spec.rewrite!(s.state, texts[i]!, i, statsAt(i));
        drop[i] = resolve(r.reason, s.reasons);
        rewritten[i] = r.text;
      }
      out = setColumn(batch, s.column!, utf8Vector(rewritten));
    }
    if (tagged) for (const [stat, column] of tagged.columns()) out = setColumn(out, `${ctx.statsPrefix}_${stat}`, column);
    return { batch: out, drop };
  };

  const wholeBatch = (s: FilterState<State>, batch: RecordBatch, ctx: ApplyContext): OperatorResult => {
    const v = spec.checkBatch!(s.state, batch, ctx);
    if (!v.drop) return v;
    const drop = new Array<string | null>(v.drop.length);
    for (let i = 0; i < drop.length; i++) drop[i] = resolve(v.drop[i], s.reasons);
    return { ...v, drop };
  };

  return defineOperator<Schema, FilterState<State>>({
    name,
    options: spec.options,
    declare: (o) => {
      const dropReasons = reasonsOf(o).map((r) => `${name}:${r}`);
      return { writes: [], removes: [], kind: 'narrow', ...spec.declare(o), filters: dropReasons.length > 0, dropReasons };
    },
    ...(spec.stats ? { stats: statsOf } : {}),
    init: (o) => {
      const reasons = new Map(reasonsOf(o).map((r) => [r, `${name}:${r}`]));
      const column = spec.column ? spec.column(o) : null;
      const stats = statsOf(o);
      const wrap = (state: State): FilterState<State> => ({ state, column, reasons, stats });
      // Without `init`, State defaults to the options type (see the type parameter).
      const made = spec.init ? spec.init(o) : (o as unknown as State);
      return made instanceof Promise ? made.then(wrap) : wrap(made);
    },
    apply: spec.checkBatch ? wholeBatch : perDocument,
  });
}
