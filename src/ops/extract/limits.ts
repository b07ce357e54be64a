/** Why a document could not be extracted; becomes the row's quarantine reason. */
export type ExtractFailure = 'extract:too_large' | 'extract:timeout' | 'extract:binary' | 'extract:error';

/** Thrown inside the extractor when a hard limit is hit; caught at the top level, never escapes. */
export class ExtractLimitError extends Error {
  constructor(readonly reason: ExtractFailure, detail: string) {
    super(`${reason}: ${detail}`);
    this.name = 'ExtractLimitError';
  }
}

/**
 * A per-document wall-clock budget. Loops call `tick()` on every step; reading the clock costs
 * ~25 ns, so it is read once every 1024 ticks, which keeps the check under 1% of extraction time
 * while still stopping a runaway document within microseconds of its budget.
 */
export class Deadline {
  private ticks = 0;
  private readonly end: number;

  constructor(private readonly budgetMs: number) {
    this.end = performance.now() + budgetMs;
  }

  tick(): void {
    if ((++this.ticks & 1023) === 0) this.check();
  }

  check(): void {
    if (performance.now() > this.end) {
      throw new ExtractLimitError('extract:timeout', `over the ${this.budgetMs} ms budget`);
    }
  }
}
