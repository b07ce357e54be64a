import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineProgress, TtyProgress } from '../../src/exec/driver/progress.ts';

/** A terminal as cli-progress sees one: a TTY stream with a width, recording what is drawn. */
function fakeTerminal(): { stream: NodeJS.WritableStream; text: () => string } {
  let out = '';
  const stream = new Writable({ write(chunk: Buffer, _enc, done) { out += chunk.toString(); done(); } });
  Object.assign(stream, { isTTY: true, columns: 100, rows: 40, cursorTo: () => true, moveCursor: () => true, clearLine: () => true, clearScreenDown: () => true });
  return { stream, text: () => out };
}

describe('progress between stages', () => {
  it('draws a bar for a phase on a terminal', () => {
    const term = fakeTerminal();
    const p = new TtyProgress(term.stream);
    p.phaseStarted('s1 dedup buckets', 4, 1);
    p.phaseUpdate('s1 dedup buckets');
    p.phaseFinished('s1 dedup buckets');
    p.stop();
    expect(term.text()).toMatch(/s1 dedup buckets \[[^\]]*\] 4\/4/);
  });

  it('prints a line when a phase starts and ends, and while it runs', async () => {
    const lines: string[] = [];
    const p = new LineProgress((l) => lines.push(l), 1);
    p.phaseStarted('s1 finalize tokens sink', 1, 0);
    await new Promise<void>((tick) => { const wait = () => (lines.length > 1 ? tick() : setImmediate(wait)); wait(); });
    p.phaseUpdate('s1 finalize tokens sink');
    p.phaseFinished('s1 finalize tokens sink');
    p.stop();
    expect(lines[0]).toBe('[sluice] s1 finalize tokens sink: 1 step');
    expect(lines[1]).toMatch(/^\[sluice\] s1 finalize tokens sink running: 0\/1 step, \d+\.\ds$/);
    expect(lines[lines.length - 1]).toMatch(/^\[sluice\] s1 finalize tokens sink done: 1\/1 step in \d+\.\ds$/);
  });
});
