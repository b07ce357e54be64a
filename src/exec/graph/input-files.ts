import { stat } from 'node:fs/promises';
import { isRemoteInput, statInput } from '../../io/location/input-file.ts';
import type { PhysicalPlan, PartitionSpec } from '../../plan/physical-plan.ts';

/** An input file as it was when the run was planned: what resume and `sluice task` check against. */
export interface InputFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** An input file that is not what the run planned: truncated, appended to, replaced or removed. */
export interface ChangedInput {
  path: string;
  was: InputFile;
  /** Absent when the file is gone. */
  now?: InputFile;
}

/** Every file the plan's scan stages read (coalesced partitions' splits included), once each, sorted. */
export function inputFilesOf(plan: PhysicalPlan, partitions?: readonly PartitionSpec[]): string[] {
  const all = partitions ?? plan.stages.filter((s) => s.input.kind === 'scan').flatMap((s) => s.partitions);
  return [...new Set(all.flatMap((p) => p.inputs ?? [p]).map((p) => p.file).filter((f): f is string => f !== undefined))].sort();
}

/**
 * Size and modification time of each file (a file that cannot be read is left out: planning already
 * checked it exists). An `s3://` object is one HeadObject (its LastModified as `mtimeMs`), never a
 * listing, so recording and checking use the same clock and a task stats only its own objects.
 */
export async function statInputs(paths: readonly string[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const path of paths) {
    if (isRemoteInput(path)) {
      const s = await statInput(path, { fresh: true });
      if (s) out.push({ path, size: s.size, mtimeMs: s.lastModified.getTime() });
      continue;
    }
    const s = await stat(path).catch(() => undefined);
    if (s) out.push({ path, size: s.size, mtimeMs: s.mtimeMs });
  }
  return out;
}

/**
 * The recorded files whose size or modification time differ now. Size and mtime are what a
 * truncation, an append or a replacement changes; hashing every input on every resume would cost
 * a read of the whole crawl.
 */
export async function changedInputs(recorded: readonly InputFile[]): Promise<ChangedInput[]> {
  const changed: ChangedInput[] = [];
  for (const was of recorded) {
    const [now] = await statInputs([was.path]);
    if (!now) changed.push({ path: was.path, was });
    else if (now.size !== was.size || now.mtimeMs !== was.mtimeMs) changed.push({ path: was.path, was, now });
  }
  return changed;
}

/** One line per changed file, for the error that refuses to mix two versions of an input. */
export function describeChanges(changed: readonly ChangedInput[]): string {
  return changed.slice(0, 10).map((c) => c.now
    ? `  ${c.path}: ${c.was.size} bytes modified ${new Date(c.was.mtimeMs).toISOString()} when planned, now ${c.now.size} bytes modified ${new Date(c.now.mtimeMs).toISOString()}`
    : `  ${c.path}: gone (it had ${c.was.size} bytes when planned)`).join('\n') + (changed.length > 10 ? `\n  … and ${changed.length - 10} more` : '');
}
