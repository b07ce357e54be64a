import { openSync, readSync } from 'node:fs';

/**
 * CPU time of the calling thread in ms: on Linux the first field of `/proc/thread-self/schedstat`
 * (ns on a CPU), read through one descriptor per thread (modules are per isolate, so each worker
 * thread opens its own). Wall time would count the time a thread waits for a core, which on a
 * machine busier than its cores inflates every step. Elsewhere it falls back to wall time.
 */
export function threadCpuMs(): number {
  if (fd === undefined) fd = open();
  if (fd === null) return performance.now();
  const n = readSync(fd, buf, 0, buf.length, 0);
  const end = buf.indexOf(0x20);
  return Number(buf.toString('latin1', 0, end > 0 && end < n ? end : n)) / 1e6;
}

let fd: number | null | undefined;
const buf = Buffer.alloc(96);

function open(): number | null {
  try {
    const f = openSync('/proc/thread-self/schedstat', 'r');
    return readSync(f, buf, 0, buf.length, 0) > 0 ? f : null;
  } catch {
    return null;
  }
}
