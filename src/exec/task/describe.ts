import type { InputSplit, PartitionSpec, PhysicalStage } from '../../plan/physical-plan.ts';

/** A task's input range in words, for error messages and logs. */
export function describeTask(stage: PhysicalStage, p: PartitionSpec): string {
  const splits = (p.inputs ?? [p]).map(describeSplit).filter((s) => s.length > 0);
  const what = splits.length ? [splits.join('; ')] : [];
  if (p.upstream) what.push(`output of ${p.upstream.stage} task ${p.upstream.partition}`);
  if (stage.input.kind === 'wide') what.push(`bucket ${p.index} of ${stage.input.stage} through ${stage.input.wide.kind}`);
  return `task ${stage.id}/${p.index}` + (what.length ? ` (${what.join(', ')})` : '');
}

function describeSplit(p: InputSplit): string {
  const what: string[] = [];
  if (p.file) what.push(p.file);
  if (p.start !== undefined || p.end !== undefined) what.push(`bytes [${p.start ?? 0}, ${p.end ?? 'end'})`);
  if (p.rowGroups) what.push(`row groups ${p.rowGroups.join(',')}`);
  if (p.rows) what.push(`rows [${p.rows[0]}, ${p.rows[1]})`);
  return what.join(', ');
}
