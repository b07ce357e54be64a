import type { PhysicalPlan } from '../../plan/physical-plan.ts';
import { readTextAt, writeFileAt } from '../../io/location/file-uri.ts';
import { files } from '../state/layout.ts';
import type { InputFile } from './input-files.ts';
import type { GraphTask, TaskGraph, TaskGroup } from './task-graph.ts';

/** How every task of a run runs; recorded so `sluice task` needs only the output and a task id. */
export interface RunSettings {
  /** Rows per batch (part of the fingerprint: it shapes commit boundaries). */
  batchSize: number;
  chunkSize: number;
  docTimeoutMs: number;
  retries: number;
  maxWorkerMemoryMb?: number;
}

/**
 * `<output>/plan.json`: the physical plan, its fingerprint, the settings tasks run with, and the task
 * graph (every task with what it waits for) — all a scheduler needs to run the run task by task.
 */
export interface PlanFile extends PhysicalPlan {
  format: 'sluice-plan/1';
  fingerprint: string;
  settings: RunSettings;
  tasks: GraphTask[];
  groups: TaskGroup[];
  /** Input files as planned (size, mtime): a resume or a task refuses to read a changed one. */
  inputs: InputFile[];
}

export async function writePlanFile(outDir: string, plan: PhysicalPlan, fingerprint: string, settings: RunSettings, graph: TaskGraph, inputs: InputFile[]): Promise<void> {
  const file: PlanFile = { format: 'sluice-plan/1', fingerprint, settings, ...plan, tasks: graph.tasks, groups: graph.groups, inputs };
  await writeFileAt(files.plan(outDir), JSON.stringify(file, null, 2) + '\n');
}

/** The plan file an earlier claim wrote, if it is one this version reads. */
export async function readPlanFileIfAny(outDir: string): Promise<PlanFile | undefined> {
  return readPlanFile(outDir).catch(() => undefined);
}

/** The run's plan file; a clear error when `outDir` holds no planned run. */
export async function readPlanFile(outDir: string): Promise<PlanFile> {
  const text = await readTextAt(files.plan(outDir));
  if (text === undefined) throw new Error(`${outDir} holds no planned sluice run (no plan.json); start one with \`sluice run\``);
  const file = JSON.parse(text) as Partial<PlanFile>;
  if (file.format !== 'sluice-plan/1' || !file.tasks || !file.settings || !file.inputs) {
    throw new Error(`${files.plan(outDir)} was written by another version of sluice; rerun \`sluice run\` to plan it again`);
  }
  return file as PlanFile;
}

/** The physical plan inside a plan file (what tasks receive and the fingerprint hashes). */
export function physicalOf(file: PlanFile): PhysicalPlan {
  return { stages: file.stages, modules: file.modules };
}
