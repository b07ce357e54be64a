import type { PhysicalPlan, PhysicalStage } from '../../plan/physical-plan.ts';
import { bandPartitionsOf } from '../dedup/strategy.ts';
import { describeTask } from '../task/describe.ts';

/**
 * What a task of the task graph does:
 * - `stage`: one partition of a stage (its fused steps, from input to committed pieces);
 * - `bucket`: one band partition of a dedup stage's wide phase (equal band hashes → star edges);
 * - `merge`: a dedup stage's union-find over every bucket's edges (verdicts per parent partition);
 * - `finalize`: global-limit sink parts, sinks' finalizers, `stats.json` and the report.
 */
export type GraphTaskKind = 'stage' | 'bucket' | 'merge' | 'finalize';

/** One task: everything a scheduler needs to run it (`sluice task <output> <id>`) in order. */
export interface GraphTask {
  /** Stable id: `s0.3` (stage task), `s1.bucket.2`, `s1.merge`, `finalize`. */
  id: string;
  kind: GraphTaskKind;
  /** The group it belongs to: `s0`, `s1.bucket`, `s1.merge`, `finalize`. */
  group: string;
  stage?: string;
  /** Partition (stage tasks) or band partition (bucket tasks). */
  index?: number;
  /** What it must wait for: task ids, or group ids standing for every task of the group. */
  after: string[];
  /** Its input in words (stage tasks). */
  input?: string;
}

/** Tasks that run as one batch (a Slurm job array): they wait for the same groups. */
export interface TaskGroup {
  id: string;
  tasks: string[];
  /** Groups every task of this group may wait for (a superset of its tasks' own `after`). */
  after: string[];
}

export interface TaskGraph {
  /** In an order that runs: every task comes after what it waits for. */
  tasks: GraphTask[];
  groups: TaskGroup[];
}

/**
 * The run's tasks, derived from the plan only: task boundaries come from the plan's partitions,
 * never from the worker count or the executor, so every scheduler runs the same tasks and
 * the outputs are the same. With an output directory (`sluice run`), a `finalize` task closes the
 * run; `collect()` builds its result in memory and has none.
 */
export function buildTaskGraph(plan: PhysicalPlan, opts: { finalize: boolean }): TaskGraph {
  const tasks: GraphTask[] = [];
  const groups: TaskGroup[] = [];
  const add = (group: TaskGroup, members: GraphTask[]) => {
    groups.push(group);
    tasks.push(...members);
  };
  for (const stage of plan.stages) {
    let waits = parentGroups(plan, stage);
    if (stage.input.kind === 'wide' && stage.input.wide.kind === 'dedup') {
      const bucket = `${stage.id}.bucket`, merge = `${stage.id}.merge`;
      const buckets = Array.from({ length: bandPartitionsOf(stage) }, (_, k): GraphTask =>
        ({ id: `${bucket}.${k}`, kind: 'bucket', group: bucket, stage: stage.id, index: k, after: waits }));
      add({ id: bucket, tasks: buckets.map((t) => t.id), after: waits }, buckets);
      add({ id: merge, tasks: [merge], after: [bucket] }, [{ id: merge, kind: 'merge', group: merge, stage: stage.id, after: [bucket] }]);
      waits = [merge];
    }
    const members = stage.partitions.map((p): GraphTask => ({
      id: `${stage.id}.${p.index}`, kind: 'stage', group: stage.id, stage: stage.id, index: p.index,
      after: taskWaits(plan, stage, p.index, waits), input: describeTask(stage, p),
    }));
    add({ id: stage.id, tasks: members.map((t) => t.id), after: waits }, members);
  }
  if (opts.finalize) {
    const all = groups.map((g) => g.id);
    add({ id: 'finalize', tasks: ['finalize'], after: all }, [{ id: 'finalize', kind: 'finalize', group: 'finalize', after: all }]);
  }
  return { tasks, groups };
}

/** Groups whose output a stage reads: none for a scan, the parent stage(s) otherwise. */
function parentGroups(plan: PhysicalPlan, stage: PhysicalStage): string[] {
  const input = stage.input;
  if (input.kind === 'scan') return [];
  if (input.kind === 'wide') return [input.stage];
  return input.stages.filter((id) => plan.stages.some((s) => s.id === id));
}

/** A union's task reads one upstream task (all of that stage when a global limit cuts it). */
function taskWaits(plan: PhysicalPlan, stage: PhysicalStage, partition: number, groupWaits: string[]): string[] {
  const up = stage.input.kind === 'stages' ? stage.partitions[partition]?.upstream : undefined;
  if (!up) return groupWaits;
  const parent = plan.stages.find((s) => s.id === up.stage);
  return parent?.limit !== undefined ? [up.stage] : [`${up.stage}.${up.partition}`];
}

/** A task id the run does not have. */
export class UnknownTaskError extends Error {
  constructor(id: string, graph: TaskGraph) {
    const ranges = graph.groups.map((g) => g.tasks.length > 1 ? `${g.tasks[0]}..${g.tasks[g.tasks.length - 1]}` : g.tasks[0]).join(', ');
    super(`the run has no task "${id}" (tasks: ${ranges})`);
    this.name = 'UnknownTaskError';
  }
}

/** The task with this id; the error lists the run's task ids by group. */
export function taskById(graph: TaskGraph, id: string): GraphTask {
  const t = graph.tasks.find((x) => x.id === id);
  if (!t) throw new UnknownTaskError(id, graph);
  return t;
}

/** The concrete tasks behind `after` entries (a group id expands to all its tasks). */
export function expandAfter(graph: TaskGraph, after: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of after) {
    const g = graph.groups.find((x) => x.id === a);
    if (g) out.push(...g.tasks);
    else out.push(a);
  }
  return out;
}
