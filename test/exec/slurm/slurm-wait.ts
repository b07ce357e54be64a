import { setTimeout as sleep } from 'node:timers/promises';
import { jobStates, type JobStates } from '../../../src/exec/slurm/queue.ts';
import type { ElementState } from '../../../src/exec/slurm/scontrol-records.ts';

const ENDED = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'BOOT_FAIL', 'DEADLINE', 'PREEMPTED']);

/**
 * Polls `jobStates` until `done` holds (default: every element has ended). A hang guard, not a
 * speed check: up to 480 polls 250 ms apart (~2 min), then it throws with the last states.
 */
export async function pollJobs(
  jobIds: readonly string[],
  env: NodeJS.ProcessEnv,
  done: (elements: ElementState[]) => boolean = (els) => els.length > 0 && els.every((e) => ENDED.has(e.state)),
): Promise<JobStates> {
  let states: JobStates = { elements: [], unknown: [] };
  for (let i = 0; i < 480; i++) {
    states = await jobStates(jobIds, { env });
    if (done(states.elements)) return states;
    await sleep(250);
  }
  throw new Error(`jobs ${jobIds.join(',')} did not get there in 480 polls: ${JSON.stringify(states)}`);
}
