/**
 * Crash injection for resume tests, off unless `SLUICE_TEST_KILL_AFTER=<K>[:<phase>]` is set: the
 * process is SIGKILLed when this thread reaches `phase` (`piece`: output written, checkpoint not;
 * `checkpoint`: just after a checkpoint; default `checkpoint`) for the K-th time.
 */
const spec = process.env.SLUICE_TEST_KILL_AFTER;
const [countText, phaseText] = (spec ?? '').split(':');
const killAt = spec ? Number(countText) : 0;
const killPhase = phaseText || 'checkpoint';
let seen = 0;

export function testKillHook(phase: 'piece' | 'checkpoint'): void {
  if (!killAt || phase !== killPhase) return;
  seen++;
  if (seen >= killAt) process.kill(process.pid, 'SIGKILL');
}
