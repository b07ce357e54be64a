import { getEnvironmentData, isMainThread, setEnvironmentData } from 'node:worker_threads';

/**
 * Crash injection for resume tests, off unless `SLUICE_TEST_KILL_AFTER=<K>[:<phase>]` is set: the
 * process is SIGKILLed when its worker threads have reached `phase` (`piece`: output written,
 * checkpoint not; `checkpoint`: just after a checkpoint; default `checkpoint`) K times in all.
 * The count is shared by every thread (a SharedArrayBuffer the main thread hands to the workers it
 * spawns), so K means the same whatever the worker count and scheduling.
 */
const spec = process.env.SLUICE_TEST_KILL_AFTER;
const [countText, phaseText] = (spec ?? '').split(':');
const killAt = spec ? Number(countText) : 0;
const killPhase = phaseText || 'checkpoint';
const KEY = 'sluice:test-kill-count';

function sharedCounter(): Int32Array | undefined {
  if (!killAt) return undefined;
  if (isMainThread) {
    const counter = new Int32Array(new SharedArrayBuffer(4));
    setEnvironmentData(KEY, counter.buffer as SharedArrayBuffer);
    return counter;
  }
  const buf = getEnvironmentData(KEY) as SharedArrayBuffer | undefined;
  return new Int32Array(buf ?? new SharedArrayBuffer(4));
}

const seen = sharedCounter();

export function testKillHook(phase: 'piece' | 'checkpoint'): void {
  if (!seen || phase !== killPhase) return;
  if (Atomics.add(seen, 0, 1) + 1 >= killAt) process.kill(process.pid, 'SIGKILL');
}
