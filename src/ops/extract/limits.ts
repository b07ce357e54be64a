/** Why a document could not be extracted; becomes the row's quarantine reason. */
export type ExtractFailure = 'extract:too_large' | 'extract:too_complex' | 'extract:timeout' | 'extract:binary' | 'extract:error';

const CHECK_EVERY = 1024;

/** Thrown inside the extractor when a hard limit is hit; caught at the top level, never escapes. */
export class ExtractLimitError extends Error {
  constructor(readonly reason: ExtractFailure, detail: string) {
    super(`${reason}: ${detail}`);
    this.name = 'ExtractLimitError';
  }
}

/**
 * A per-document budget: a count of work steps (deterministic) and a wall-clock safety net. Loops
 * call `tick()` on every step, and a step that costs more (a tag deep in open elements) charges
 * more. Reading the clock costs ~25 ns, so both limits are checked once per 1024 steps, which
 * keeps the check under 1% of extraction time.
 */
export class Deadline {
  private ticks = 0;
  private nextCheck = CHECK_EVERY;
  private readonly end: number;

  constructor(private readonly budgetMs: number, private readonly maxWork: number = Infinity) {
    this.end = performance.now() + budgetMs;
  }

  /** Charges `steps` units of work; throws `ExtractLimitError` when a limit is passed. */
  tick(steps = 1): void {
    this.ticks += steps;
    if (this.ticks >= this.nextCheck) {
      this.nextCheck = this.ticks + CHECK_EVERY;
      if (this.ticks > this.maxWork) {
        throw new ExtractLimitError('extract:too_complex', `over the ${this.maxWork}-step work budget`);
      }
      this.check();
    }
  }

  /** Throws `ExtractLimitError` (`extract:timeout`) when the wall-clock budget is spent. */
  check(): void {
    if (performance.now() > this.end) {
      throw new ExtractLimitError('extract:timeout', `over the ${this.budgetMs} ms budget`);
    }
  }
}
