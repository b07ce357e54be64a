import { z } from 'zod';
import type { SlurmOptionsInput } from '../exec/slurm/options.ts';
import { positiveInt } from './options.ts';

/**
 * The `--slurm-*` flags of `sluice run --executor slurm`, prefixed so they cannot be mistaken for
 * the pipeline's own options (a data "partition" is not a Slurm partition). Each maps to one field
 * of the Slurm layer's options (`exec/slurm/options.ts`), which validates values and holds defaults.
 */
export const SlurmFlags = z.object({
  slurmPartition: z.string().optional(),
  slurmTime: z.string().optional(),
  slurmCpusPerTask: positiveInt('--slurm-cpus-per-task').optional(),
  slurmMemPerCpu: z.string().optional(),
  slurmAccount: z.string().optional(),
  slurmQos: z.string().optional(),
  slurmTasksPerElement: positiveInt('--slurm-tasks-per-element').optional(),
  slurmArrayParallelism: positiveInt('--slurm-array-parallelism').optional(),
  slurmMaxArraySize: positiveInt('--slurm-max-array-size').optional(),
  slurmSbatchArg: z.array(z.string()).default([]),
  slurmSetup: z.string().optional(),
  slurmJobName: z.string().optional(),
  slurmDir: z.string().optional(),
});

export type SlurmFlagValues = z.output<typeof SlurmFlags>;

/** The Slurm layer's options from the flags given (absent flags leave Slurm's and our defaults). */
export function slurmOptionsFrom(f: SlurmFlagValues): SlurmOptionsInput {
  const o: SlurmOptionsInput = { extraArgs: f.slurmSbatchArg };
  if (f.slurmPartition !== undefined) o.partition = f.slurmPartition;
  if (f.slurmTime !== undefined) o.time = f.slurmTime;
  if (f.slurmCpusPerTask !== undefined) o.cpusPerTask = f.slurmCpusPerTask;
  if (f.slurmMemPerCpu !== undefined) o.memPerCpu = f.slurmMemPerCpu;
  if (f.slurmAccount !== undefined) o.account = f.slurmAccount;
  if (f.slurmQos !== undefined) o.qos = f.slurmQos;
  if (f.slurmTasksPerElement !== undefined) o.tasksPerArrayElement = f.slurmTasksPerElement;
  if (f.slurmArrayParallelism !== undefined) o.arrayParallelism = f.slurmArrayParallelism;
  if (f.slurmMaxArraySize !== undefined) o.maxArraySize = f.slurmMaxArraySize;
  if (f.slurmSetup !== undefined) o.setup = f.slurmSetup;
  if (f.slurmJobName !== undefined) o.jobNamePrefix = f.slurmJobName;
  return o;
}

/** Whether any `--slurm-*` flag was given (they mean nothing without `--executor slurm`). */
export function anySlurmFlag(f: SlurmFlagValues): boolean {
  return Object.entries(f).some(([k, v]) => k.startsWith('slurm') && (Array.isArray(v) ? v.length > 0 : v !== undefined));
}
