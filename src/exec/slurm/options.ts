import { z } from 'zod';
import { slurmTimeSeconds } from './slurm-time.ts';

const isSlurmTime = (s: string): boolean => {
  try {
    slurmTimeSeconds(s);
    return true;
  } catch {
    return false;
  }
};

/**
 * How sluice submits job arrays to Slurm. Every option that maps to an `sbatch` flag is sent only
 * when given, so the cluster's own defaults apply otherwise (a hard-coded `--qos=normal` is
 * rejected on clusters without that QOS, datatrove #258).
 */
export const slurmOptionsSchema = z.object({
  /** `--partition`; default: the cluster's default partition. */
  partition: z.string().min(1).optional(),
  /** `--time` per array element (e.g. `4:00:00`, `1-00:00:00`); default: the partition's limit. */
  time: z.string().refine(isSlurmTime, 'a Slurm time such as 30, 4:00:00 or 1-12:00:00').optional(),
  /** `--cpus-per-task`; default: the cluster's (usually 1). */
  cpusPerTask: z.number().int().positive().optional(),
  /** `--mem-per-cpu` (e.g. `2G`, `512M`, `4096`); default: the cluster's `DefMemPerCPU`. */
  memPerCpu: z.string().regex(/^\d+[KMGT]?$/i, 'a size such as 512M, 2G or 4096 (MB)').optional(),
  /** `--account`; sent only when given. */
  account: z.string().min(1).optional(),
  /** `--qos`; sent only when given. */
  qos: z.string().min(1).optional(),
  /** Tasks run one after another by each array element, in one process. Default: as many as
   *  spread a wave over one element per CPU of the partition (`sinfo`; per `cpusPerTask` CPUs; at
   *  most `arrayParallelism` elements), as the local pool has one thread per core: a process per
   *  task would start Node, load the models and warm up V8 for every task. */
  tasksPerArrayElement: z.number().int().positive().optional(),
  /** At most this many elements of one array run at once (`--array=0-N%P`); default: no limit.
   *  Slurm applies it per array, so a wave split into several arrays runs up to P per array. */
  arrayParallelism: z.number().int().positive().optional(),
  /** Elements per array; a wave with more elements is split into several arrays. Default: the
   *  cluster's `MaxArraySize` (from `scontrol show config`; array indexes go up to one less). */
  maxArraySize: z.number().int().positive().optional(),
  /** Seconds before the time limit at which the batch shell gets SIGUSR1 (`--signal=B:USR1@S`);
   *  it stops the running task and requeues the element, which resumes from its last commit.
   *  Sent only with a `time` longer than this plus a minute (Slurm sends the signal up to 60 s
   *  late or early; a signal due at once would requeue the element forever). Default 120. */
  requeueBeforeTimeLimit: z.number().int().positive().default(120),
  /** More `sbatch` arguments, passed verbatim after sluice's own (so they win). Default none. */
  extraArgs: z.array(z.string()).default([]),
  /** One shell line run before the tasks in every element (e.g. `module load node` or
   *  `source ~/venv/bin/activate`); a failing setup fails the element. Default none. */
  setup: z.string().min(1).optional(),
  /** Job names are `<prefix>-<wave name>`. Default `sluice`. */
  jobNamePrefix: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" or "-"').default('sluice'),
}).strict();

/** Slurm options as the caller writes them (defaults may be left out). */
export type SlurmOptionsInput = z.input<typeof slurmOptionsSchema>;

/** Validated Slurm options, defaults filled in. */
export type SlurmOptions = z.output<typeof slurmOptionsSchema>;
