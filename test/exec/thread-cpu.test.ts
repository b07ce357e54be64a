import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { cpuSince, cpuSnapshot } from '../../src/exec/accounting/process-cpu.ts';
import { Stopwatch } from '../../src/exec/accounting/stopwatch.ts';
import { threadCpuMs } from '../../src/exec/accounting/thread-cpu.ts';

/** Work that certainly takes CPU: hashing a few MB. */
function busy(): number {
  let h = 0;
  for (let i = 0; i < 20_000_000; i++) h = (h * 31 + i) | 0;
  return h;
}

describe('thread CPU accounting', () => {
  it('counts the calling thread\'s own work, and a thread that waits uses none of it', async () => {
    const before = threadCpuMs();
    busy();
    const afterWork = threadCpuMs();
    expect(afterWork).toBeGreaterThan(before);
    // Another thread burning CPU is not this thread's time; this thread only waits.
    const start = cpuSnapshot();
    const waitBefore = threadCpuMs();
    await new Promise<void>((done, fail) => {
      const w = new Worker(`let h = 0; for (let i = 0; i < 50000000; i++) h = (h * 31 + i) | 0; require('node:worker_threads').parentPort.postMessage(h);`, { eval: true });
      w.once('message', () => { void w.terminate().then(() => done()); });
      w.once('error', fail);
    });
    const mine = threadCpuMs() - waitBefore;
    const since = cpuSince(start);
    // The process paid for the worker's loop; the waiting thread paid for a fraction of it.
    expect(since.processMs).toBeGreaterThan(mine * 2);
    expect(since.mainThreadMs).toBeGreaterThanOrEqual(0);
    expect(since.runtimeThreadsMs).toBeGreaterThanOrEqual(0);
  });

  it('splits time into named laps and keeps what a unit already carried', () => {
    const w = new Stopwatch({ 'stage input': 5 });
    busy();
    w.lap('commit');
    w.add('commit', 2).add('dedup signing', 0);
    const o = w.done();
    expect(Object.keys(o).sort()).toEqual(['commit', 'stage input']);
    expect(o['stage input']).toBe(5);
    expect(o.commit!).toBeGreaterThan(2);
  });
});
