import { applyLabel } from '../plan/apply-label.ts';
import type { ExprNode, Scalar } from '../plan/expr.ts';
import type { LogicalPlan, SinkSpec, SourceSpec } from '../plan/logical-plan.ts';
import type { OperatorDecl } from '../plan/operator-decl.ts';
import type { PhysicalPlan, PhysicalStage, PhysicalStep, StageInput } from '../plan/physical-plan.ts';
import { children } from './plan-utils.ts';

const CMP = { eq: '=', neq: '!=', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;
const ARITH = { add: '+', sub: '-', mul: '*', div: '/', mod: '%' } as const;
const STR = { length: 'len', lower: 'lower' } as const;

function formatScalar(v: Scalar): string {
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return String(v);
}

/** Operators' operands are parenthesized unless atomic, so precedence never has to be guessed. */
function operand(e: ExprNode): string {
  const s = formatExpr(e);
  return e.kind === 'col' || e.kind === 'lit' || e.kind === 'str' || e.kind === 'match' ? s : `(${s})`;
}

/** Compact one-line rendering: `(len(text) > 200) AND (lang = 'en')`. */
export function formatExpr(e: ExprNode): string {
  switch (e.kind) {
    case 'col': return e.name;
    case 'lit': return formatScalar(e.value);
    case 'cmp': return `${operand(e.left)} ${CMP[e.op]} ${operand(e.right)}`;
    case 'arith': return `${operand(e.left)} ${ARITH[e.op]} ${operand(e.right)}`;
    case 'and': return `${operand(e.left)} AND ${operand(e.right)}`;
    case 'or': return `${operand(e.left)} OR ${operand(e.right)}`;
    case 'not': return `NOT ${operand(e.arg)}`;
    case 'isNull': return `${operand(e.arg)} IS NULL`;
    case 'isIn': return `${operand(e.arg)} IN (${e.values.map(formatScalar).join(', ')})`;
    case 'str': return `${STR[e.fn]}(${formatExpr(e.arg)})`;
    case 'match':
      if (e.fn === 'regexMatch') return `regex(${formatExpr(e.arg)}, /${e.pattern}/${e.flags ?? ''})`;
      return `${e.fn}(${formatExpr(e.arg)}, ${formatScalar(e.pattern)})`;
  }
}

function list(names: readonly string[]): string {
  return `[${names.join(', ')}]`;
}

function formatColumns(cols: { name: string; expr: ExprNode }[]): string {
  return cols.map((c) => (c.expr.kind === 'col' && c.expr.name === c.name ? c.name : `${formatExpr(c.expr)} AS ${c.name}`)).join(', ');
}

function formatSource(s: SourceSpec): string {
  const files = s.paths.length === 1 ? '1 file' : `${s.paths.length} files`;
  return `${s.format} (${files})`;
}

function formatSink(s: SinkSpec): string {
  return `${s.format} ${s.path}`;
}

function formatDecl(d: OperatorDecl): string {
  const parts = [`reads=${list(d.reads)}`];
  if (d.writes.length) parts.push(`writes=${list(d.writes)}`);
  if (d.removes.length) parts.push(`removes=${list(d.removes)}`);
  if (d.filters) parts.push(d.selectivity === undefined ? 'filters' : `filters(sel=${d.selectivity})`);
  if (d.kind === 'wide') parts.push('wide');
  parts.push(`cost=${d.costPerRow}ns`);
  return parts.join(' ');
}

function scanDetails(s: { columns?: string[]; predicate?: ExprNode; limit?: number }): string {
  let out = '';
  if (s.columns) out += ` columns=${list(s.columns)}`;
  if (s.predicate) out += ` predicate=${formatExpr(s.predicate)}`;
  if (s.limit !== undefined) out += ` limit=${s.limit}`;
  return out;
}

/** One line describing a logical node without its inputs. */
export function describeLogical(plan: LogicalPlan): string {
  switch (plan.kind) {
    case 'scan': return `Scan ${formatSource(plan.source)}${scanDetails(plan)}`;
    case 'filter': return `Filter ${formatExpr(plan.predicate)}`;
    case 'select': return `Select ${formatColumns(plan.columns)}`;
    case 'withColumns': return `WithColumns ${formatColumns(plan.columns)}`;
    case 'drop': return `Drop ${list(plan.columns)}`;
    case 'apply': return `Apply ${applyLabel(plan.op, plan.options)} ${formatDecl(plan.decl)}`;
    case 'dedup': return `Dedup ${plan.dedup.strategy}`;
    case 'limit': return `Limit ${plan.n}`;
    case 'union': return `Union`;
    case 'repartition': return `Repartition ${plan.partitions}`;
    case 'sink': return `Sink ${formatSink(plan.sink)}`;
  }
}

/** The logical plan as an indented tree, root first, inputs indented by two spaces. */
export function formatLogical(plan: LogicalPlan): string {
  const lines: string[] = [];
  const walk = (p: LogicalPlan, depth: number): void => {
    lines.push(`${'  '.repeat(depth)}${describeLogical(p)}`);
    for (const c of children(p)) walk(c, depth + 1);
  };
  walk(plan, 0);
  return lines.join('\n');
}

function formatStep(s: PhysicalStep): string {
  switch (s.kind) {
    case 'filter': return `Filter ${formatExpr(s.predicate)}`;
    case 'select': return `Select ${formatColumns(s.columns)}`;
    case 'withColumns': return `WithColumns ${formatColumns(s.columns)}`;
    case 'drop': return `Drop ${list(s.columns)}`;
    case 'apply': return `Apply ${applyLabel(s.op, s.options)}`;
    case 'limit': return `Limit ${s.n} (per partition)`;
  }
}

function formatInput(i: StageInput): string {
  switch (i.kind) {
    case 'scan': return `Scan ${formatSource(i.source)}${scanDetails(i)}`;
    case 'stages': return `Union of ${i.stages.join(', ')}`;
    case 'wide': {
      const w = i.wide;
      // A dedup's wide part: band records written by the parent's tasks, bucket tasks per band-hash
      // range, one merge; then this stage's `dedup` step filters (see src/exec/dedup).
      const what = w.kind === 'dedup' ? `Dedup ${w.dedup.strategy} (${i.stage} writes ${w.dedup.strategy === 'minhash' ? 'band hashes' : w.dedup.strategy === 'substrings' ? 'token window hashes' : 'keys'} -> bucket by hash range -> merge ${w.dedup.strategy === 'substrings' ? 'cut spans' : 'clusters'})`
        : w.kind === 'repartition' ? `Repartition ${w.partitions}`
        : w.kind === 'limit' ? `Limit ${w.n} (global)`
        : `Apply ${w.op}`;
      return `${what} <- all partitions of ${i.stage}`;
    }
  }
}

function formatOutput(s: PhysicalStage): string {
  const o = s.output;
  const base = o.kind === 'sink' ? `sink ${formatSink(o.sink)}` : o.kind;
  return s.limit === undefined ? base : `${base}, first ${s.limit} rows in partition order`;
}

/** The physical plan: one block per stage, with its input boundary, partition count and steps. */
export function formatPhysical(plan: PhysicalPlan): string {
  const lines: string[] = [];
  for (const s of plan.stages) {
    const n = s.partitions.length;
    lines.push(`Stage ${s.id} (${n} ${n === 1 ? 'partition' : 'partitions'})`);
    lines.push(`  input: ${formatInput(s.input)}`);
    for (const step of s.steps) lines.push(`  ${formatStep(step)}`);
    lines.push(`  output: ${formatOutput(s)}`);
  }
  if (plan.modules.length) lines.push(`modules: ${plan.modules.join(', ')}`);
  return lines.join('\n');
}
