import { readdirSync, readFileSync } from 'node:fs';
import { threadCpuMs } from './thread-cpu.ts';

/** The process's CPU at one moment: in total, per thread, and of the calling (main) thread. */
export interface CpuSnapshot {
  process: NodeJS.CpuUsage;
  /** Thread id → CPU ms, for threads other than the main one (Linux; empty elsewhere). */
  threads: Map<string, number>;
  mainThreadMs: number;
}

/** Takes a {@link CpuSnapshot}; call it from the main thread. */
export function cpuSnapshot(): CpuSnapshot {
  return { process: process.cpuUsage(), threads: otherThreads(), mainThreadMs: threadCpuMs() };
}

/** What the process used since `start`. */
export interface CpuSince {
  processMs: number;
  mainThreadMs: number;
  /**
   * CPU of the threads that already ran when `start` was taken, other than the main thread: V8's
   * platform threads (garbage collection, optimizing compilers, WebAssembly compilation) and
   * libuv's I/O pool. Worker threads of the run start later and are not among them.
   */
  runtimeThreadsMs: number;
}

export function cpuSince(start: CpuSnapshot): CpuSince {
  const used = process.cpuUsage(start.process);
  let runtimeThreadsMs = 0;
  for (const [tid, ms] of otherThreads()) {
    const before = start.threads.get(tid);
    if (before !== undefined) runtimeThreadsMs += Math.max(0, ms - before);
  }
  return { processMs: (used.user + used.system) / 1000, mainThreadMs: threadCpuMs() - start.mainThreadMs, runtimeThreadsMs };
}

function otherThreads(): Map<string, number> {
  const out = new Map<string, number>();
  let tids: string[];
  try { tids = readdirSync('/proc/self/task'); } catch { return out; }
  for (const tid of tids) {
    if (tid === String(process.pid)) continue;
    try {
      out.set(tid, Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'latin1').split(' ')[0]) / 1e6);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}
