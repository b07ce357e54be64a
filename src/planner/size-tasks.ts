import type { InputSplit, PartitionSpec } from '../plan/physical-plan.ts';

/**
 * Groups a source's splits (in input order) into scan tasks of at most about `targetBytes`.
 * Readers already cut big files into splits of about `targetBytes`; this joins consecutive small
 * splits (small files, the tail of a big one) so a task's cost follows bytes, not file count.
 * A group only ever takes the next split in order, so the grouping depends on the splits and the
 * target alone (never on workers), and a coalesced task reads its inputs in input order: document
 * identity (`__file`, `__pos`) and output order are those of the splits.
 *
 * A split of unknown size (`bytes` absent, e.g. in-memory records) is a task of its own. A group
 * of one split stays a plain partition; a larger group lists its splits under `inputs`.
 */
export function coalesceSplits(splits: readonly PartitionSpec[], targetBytes: number): PartitionSpec[] {
  if (!(targetBytes > 0)) throw new Error(`task size must be a positive number of bytes, got ${targetBytes}`);
  const out: PartitionSpec[] = [];
  let group: InputSplit[] = [];
  let bytes = 0;
  const flush = () => {
    if (group.length === 1) out.push({ ...group[0]!, index: out.length });
    else if (group.length > 1) out.push({ index: out.length, inputs: group, bytes });
    group = [];
    bytes = 0;
  };
  for (const split of splits) {
    const { index: _index, inputs, upstream, ...input } = split;
    if (inputs || upstream) throw new Error(`split ${split.index} is already a task (it has ${inputs ? 'inputs' : 'an upstream'})`);
    if (input.bytes === undefined) {
      flush();
      group = [input];
      flush();
      continue;
    }
    if (group.length && bytes + input.bytes > targetBytes) flush();
    group.push(input);
    bytes += input.bytes;
  }
  flush();
  return out;
}
