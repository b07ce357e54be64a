import { existsSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { col, defineOperator, definePipeline, readJsonl } from 'sluice';

/**
 * Test operator: throws on documents whose text contains `throwOn`, spins forever (calling no more
 * heartbeats) on documents containing `hangOn`, kills its worker thread on documents containing
 * `crashOn` (only while the file `crashMarker` does not exist, which the crash creates, when given),
 * allocates without bound on documents containing `oomOn`, and annotates the rest with their length.
 */
export const trap = defineOperator({
  name: 'test.trap',
  options: z.object({
    throwOn: z.string().default(''), hangOn: z.string().default(''),
    crashOn: z.string().default(''), crashMarker: z.string().default(''), oomOn: z.string().default(''),
  }),
  declare: () => ({ reads: ['text'], writes: ['n'], removes: [], filters: false, kind: 'narrow', costPerRow: 100 }),
  init: (o) => o,
  apply(o, batch, ctx) {
    const text = batch.getChild('text')!;
    const n = new Float64Array(batch.numRows);
    for (let i = 0; i < batch.numRows; i++) {
      ctx.heartbeat(i);
      const t = String(text.get(i) ?? '');
      if (o.throwOn && t.includes(o.throwOn)) throw new Error(`trap: found "${o.throwOn}"`);
      if (o.hangOn && t.includes(o.hangOn)) for (;;) { /* a catastrophic regex, in effect */ }
      if (o.crashOn && t.includes(o.crashOn) && !(o.crashMarker && existsSync(o.crashMarker))) {
        if (o.crashMarker) writeFileSync(o.crashMarker, '');
        process.exit(70); // in a worker thread: the thread dies, as on a native crash
      }
      if (o.oomOn && t.includes(o.oomOn)) {
        const hoard: number[][] = [];
        for (;;) hoard.push(Array.from({ length: 1 << 16 }, (_, k) => k + hoard.length));
      }
      n[i] = t.length;
    }
    return { batch };
  },
});

/**
 * Test operator that never calls `heartbeat`: it busy-waits `ms` on batches holding a document
 * containing `on` (slow, heartbeat-less work must not be blamed on the previous operator's last
 * document).
 */
export const slow = defineOperator({
  name: 'test.slow',
  options: z.object({ on: z.string().default(''), ms: z.number().default(0) }),
  declare: () => ({ reads: ['text'], writes: [], removes: [], filters: false, kind: 'narrow', costPerRow: 100 }),
  init: (o) => o,
  apply(o, batch) {
    const text = batch.getChild('text')!;
    let hit = false;
    for (let i = 0; i < batch.numRows; i++) hit ||= !!o.on && String(text.get(i) ?? '').includes(o.on);
    const until = Date.now() + (hit ? o.ms : 0);
    while (Date.now() < until) { /* CPU-bound work without heartbeats */ }
    return { batch };
  },
});

export default definePipeline((ctx) =>
  readJsonl(ctx.files('*.jsonl'))
    .apply(trap, {
      throwOn: ctx.options.throwOn ?? '', hangOn: ctx.options.hangOn ?? '',
      crashOn: ctx.options.crashOn ?? '', crashMarker: ctx.options.crashMarker ?? '', oomOn: ctx.options.oomOn ?? '',
    })
    .apply(slow, { on: ctx.options.slowOn ?? '', ms: Number(ctx.options.slowMs ?? '0') })
    .filter(col('text').length().gt(Number(ctx.options.minLength ?? '0'))));
