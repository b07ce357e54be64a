/** How far one stage got when a run stopped. */
export interface StageProgress {
  stage: string;
  committed: number;
  tasks: number;
}

/**
 * Thrown by the driver when its stop signal fired (SIGINT/SIGTERM in `sluice run`): no new task
 * started, in-flight tasks were abandoned (their last commit stands; resume redoes the rest of
 * their unit), and `stages` says what is committed. Rerunning into the same output resumes.
 */
export class RunInterruptedError extends Error {
  constructor(readonly stages: StageProgress[]) {
    super('run interrupted');
    this.name = 'RunInterruptedError';
  }
}

/** Marks the driver's own unwinding after a stop, so it is not mistaken for a task failure. */
export class StopRequested extends Error {
  constructor() {
    super('stop requested');
    this.name = 'StopRequested';
  }
}

/** Throws {@link StopRequested} once `signal` has fired. */
export function throwIfStopped(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new StopRequested();
}
