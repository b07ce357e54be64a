/** Why a document could not be extracted; becomes the row's quarantine reason. */
export type ExtractFailure = 'extract:too_large' | 'extract:too_complex' | 'extract:timeout' | 'extract:binary' | 'extract:error';

/** Thrown inside the extractor when a hard limit is hit; caught at the top level, never escapes. */
export class ExtractLimitError extends Error {
  constructor(readonly reason: ExtractFailure, detail: string) {
    super(`${reason}: ${detail}`);
    this.name = 'ExtractLimitError';
  }
}

/**
 * A per-document budget: a count of loop steps (deterministic) and a wall-clock safety net. Loops
 * call `tick()` on every step; reading the clock costs ~25 ns, so it is read once every 1024
 * ticks, which keeps the check under 1% of extraction time.
 */
export class Deadline {
  private ticks = 0;
  private readonly end: number;

  constructor(private readonly budgetMs: number, private readonly maxWork: number = Infinity) {
    this.end = performance.now() + budgetMs;
  }

  tick(): void {
    if ((++this.ticks & 1023) === 0) {
      if (this.ticks > this.maxWork) {
        throw new ExtractLimitError('extract:too_complex', `over the ${this.maxWork}-step work budget`);
      }
      this.check();
    }
  }

  check(): void {
    if (performance.now() > this.end) {
      throw new ExtractLimitError('extract:timeout', `over the ${this.budgetMs} ms budget`);
    }
  }
}
