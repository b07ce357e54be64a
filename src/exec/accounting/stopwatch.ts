import type { Overheads } from './counters.ts';
import { threadCpuMs } from './thread-cpu.ts';

/**
 * Splits the thread's CPU time into named overheads: each `lap(name)` adds the time since the last
 * lap (or the start) to `name`. Starts from the overheads a unit already carries.
 */
export class Stopwatch {
  private readonly totals: Overheads;
  private last = threadCpuMs();

  constructor(initial: Overheads | undefined) {
    this.totals = { ...initial };
  }

  /** Adds time measured elsewhere to `name`. */
  add(name: string, ms: number): this {
    if (ms > 0) this.totals[name] = (this.totals[name] ?? 0) + ms;
    return this;
  }

  lap(name: string): this {
    const now = threadCpuMs();
    this.add(name, now - this.last);
    this.last = now;
    return this;
  }

  done(): Overheads {
    return { ...this.totals };
  }
}
