import type { RecordBatch } from 'apache-arrow';
import type { z } from 'zod';
import type { OperatorDecl } from '../plan/operator-decl.ts';

export type { OperatorDecl };


/** Passed to `apply`; lets long-running operators prove they are not hung on one document. */
export interface ApplyContext {
  /** Call with the row index about to be processed; the runner's watchdog keys time limits on it. */
  heartbeat(row: number): void;
  /**
   * Set in tag mode (`DataFrame.tag`): an operator that declares `stats` measures every statistic
   * of every document (no early exit at the first failing check) and writes each as a Float64
   * column `<statsPrefix>_<stat>`, so a later pipeline can re-decide with its own thresholds.
   */
  statsPrefix?: string;
}

/**
 * The result of applying an operator to a batch. `batch` has the same rows, in the same order, as
 * the input batch (with columns added/removed); the runner removes the dropped and quarantined rows,
 * so operators never re-slice batches and dropped rows keep their annotations for inspection.
 */
export interface OperatorResult {
  batch: RecordBatch;
  /** Per input row: `null`/`undefined` keeps the row, a string drops it with that reason. */
  drop?: ReadonlyArray<string | null | undefined>;
  /** Per input row: an error message quarantines the row (bad input, over a hard limit). */
  quarantine?: ReadonlyArray<string | null | undefined>;
}

/**
 * A batch operator: a declaration for the planner plus `init`/`apply` for the workers.
 * `init` runs once per worker (load models, ranks, blocklists), never per batch.
 */
export interface Operator<Schema extends z.ZodType = z.ZodType, State = unknown> {
  /** Unique name; plans refer to operators by it, and it names the step in `stats.json`. */
  name: string;
  /** Options schema with documented defaults; `parse` fills them in. */
  options: Schema;
  declare(options: z.output<Schema>): OperatorDecl;
  /**
   * Problems with the files the options name (a tokenizer file, a blocklist directory), each
   * naming the path; empty when all is well. Checked when the step is built, so a missing file
   * fails before any task runs rather than in every worker's `init`.
   */
  checkFiles?(options: z.output<Schema>): string[];
  /**
   * The per-document statistics `apply` writes when `ctx.statsPrefix` is set, e.g. Gopher's
   * `word_count`; omitted when the operator has none besides the columns it always writes.
   */
  stats?(options: z.output<Schema>): readonly string[];
  init(options: z.output<Schema>): State | Promise<State>;
  apply(state: State, batch: RecordBatch, ctx: ApplyContext): OperatorResult | Promise<OperatorResult>;
}

/** An operator whose option and state types have been erased, as the registry holds them. */
export type AnyOperator = Operator<z.ZodType, unknown>;

const registry = new Map<string, AnyOperator>();
/** Names registered by sluice's own modules: every worker has these without importing a pipeline. */
const builtins = new Set<string>();

/**
 * Declares an operator and registers it by name so that workers, which receive plans as data,
 * can find it. Defining two different operators under one name is an error.
 */
export function defineOperator<Schema extends z.ZodType, State>(
  op: Operator<Schema, State>,
): Operator<Schema, State> {
  const existing = registry.get(op.name);
  if (existing && existing !== (op as unknown as AnyOperator)) {
    throw new Error(`operator "${op.name}" is already defined by another module`);
  }
  registry.set(op.name, op as unknown as AnyOperator);
  return op;
}

/** Marks every operator registered so far as built in; `ops/index.ts` calls it once its operators are in. */
export function markBuiltinOperators(): void {
  for (const name of registry.keys()) builtins.add(name);
}

/** Whether `name` is one of sluice's own operators (false for a pipeline's own). */
export function isBuiltinOperator(name: string): boolean {
  return builtins.has(name);
}

/** Looks up a registered operator; the message names what is registered to ease debugging. */
export function getOperator(name: string): AnyOperator {
  const op = registry.get(name);
  if (!op) {
    const known = [...registry.keys()].sort().join(', ');
    throw new Error(`unknown operator "${name}" (registered: ${known || 'none'}); ` +
      'is the module that defines it imported by the pipeline?');
  }
  return op;
}

/** Validates options against the operator's schema with a message naming the operator. */
export function parseOptions<Schema extends z.ZodType>(op: Operator<Schema, unknown>, options: unknown): z.output<Schema> {
  const result = op.options.safeParse(options ?? {});
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ');
    throw new Error(`invalid options for operator "${op.name}": ${issues}`);
  }
  return result.data;
}

/** Throws, naming the operator and the paths, when the files its options name are missing. */
export function checkOperatorFiles<Schema extends z.ZodType>(op: Operator<Schema, unknown>, options: z.output<Schema>): void {
  const problems = op.checkFiles?.(options) ?? [];
  if (problems.length > 0) throw new Error(`operator "${op.name}": ${problems.join('; ')}`);
}
