import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomically } from '../../storage/atomic-write.ts';

/** One job array as submitted: its job id and the tasks it runs, in array order. */
export interface SubmittedJob {
  jobId: string;
  /** Task ids of this array; element `i` runs `taskIds[i·tasksPerElement …]`. */
  taskIds: string[];
  tasksPerElement: number;
  /** The array script that was submitted. */
  script: string;
  /** Job ids this array waited for (`afterok`). */
  dependsOn: string[];
}

/** One wave as submitted; a wave above the array size limit has several jobs, an empty one none. */
export interface SubmittedWave {
  name: string;
  jobs: SubmittedJob[];
}

/** What one `submitWaves` call submitted. */
export interface Submission {
  /** ISO time of the submission. */
  submittedAt: string;
  waves: SubmittedWave[];
}

/** Where a task ran: its array's job id and its element (`<jobId>_<arrayIndex>` to Slurm). */
export interface TaskLocation {
  wave: string;
  jobId: string;
  arrayIndex: number;
  /** Index in the submissions file of the submission that last submitted the task. */
  submission: number;
}

/** The submissions record kept next to the scripts. */
export const submissionsFile = (scriptDir: string): string => join(scriptDir, 'submissions.json');

/** Every submission recorded under `scriptDir`, oldest first; none when the file does not exist. */
export async function readSubmissions(scriptDir: string): Promise<Submission[]> {
  let text: string;
  try {
    text = await readFile(submissionsFile(scriptDir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error(`${submissionsFile(scriptDir)}: expected a JSON array of submissions`);
  return parsed as Submission[];
}

/** Appends `submission` to the record (rewritten atomically, so a reader never sees half of it). */
export async function appendSubmission(scriptDir: string, submission: Submission): Promise<void> {
  const all = [...(await readSubmissions(scriptDir)), submission];
  await writeAtomically(submissionsFile(scriptDir), (tmp) => writeFile(tmp, `${JSON.stringify(all, null, 2)}\n`));
}

/**
 * Maps each task id to the array element that last ran it: a later submission (a resubmission of
 * failed tasks) overrides an earlier one.
 */
export function locateTasks(submissions: readonly Submission[]): Map<string, TaskLocation> {
  const out = new Map<string, TaskLocation>();
  submissions.forEach((s, submission) => {
    for (const wave of s.waves) {
      for (const job of wave.jobs) {
        job.taskIds.forEach((id, i) => {
          out.set(id, { wave: wave.name, jobId: job.jobId, arrayIndex: Math.floor(i / job.tasksPerElement), submission });
        });
      }
    }
  });
  return out;
}
