import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PhysicalPlan } from '../../src/plan/physical-plan.ts';
import { LocalBlobStore } from '../../src/storage/index.ts';
import { readCheckpoint } from '../../src/exec/state/checkpoint.ts';
import { keys } from '../../src/exec/state/layout.ts';
import { executeTask, readPieces, type TaskUnit, type UnitSource } from '../../src/exec/task/execute-task.ts';
import { readStageInput } from '../../src/exec/task/stage-input.ts';
import { emptyCounters } from '../../src/exec/accounting/counters.ts';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'sluice-task-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

const plan = (consumer: boolean): PhysicalPlan => ({
  modules: [],
  stages: [
    {
      id: 's0',
      input: { kind: 'scan', source: { format: 'records', paths: [] } },
      partitions: [{ index: 0 }],
      steps: [],
      output: consumer ? { kind: 'stage' } : { kind: 'sink', sink: { format: 'jsonl', path: join(dir, 'docs') } },
    },
    ...(consumer ? [{
      id: 's1',
      input: { kind: 'wide' as const, stage: 's0', wide: { kind: 'repartition' as const, partitions: 2 } },
      partitions: [{ index: 0 }, { index: 1 }],
      steps: [],
      output: { kind: 'result' as const },
    }] : []),
  ],
});

/** Ten input batches of 5 rows; row ids divisible by 7 are quarantined, by 3 dropped. */
function fakeSource(calls: number[], failAt?: number): UnitSource {
  return async function* (_plan, _stage, _p, opts): AsyncGenerator<TaskUnit> {
    calls.push(opts.skipInputBatches);
    for (let i = opts.skipInputBatches; i < 10; i++) {
      if (i === failAt) throw new Error('simulated crash');
      const keep: number[] = [];
      const q: TaskUnit['quarantined'] = [];
      const c = emptyCounters('op');
      c.documentsIn = 5;
      for (let r = 0; r < 5; r++) {
        const id = i * 5 + r;
        if (id % 7 === 0) q.push({ stage: 's0', step: 0, stepName: 'op', file: 'f', pos: id, error: 'bad' });
        else if (id % 3 === 0) c.dropped.div3 = (c.dropped.div3 ?? 0) + 1;
        else keep.push(r);
      }
      c.quarantined = q.length;
      c.documentsOut = keep.length;
      const out = tableFromArrays({
        id: Int32Array.from(keep, (r) => i * 5 + r), __file: new Int32Array(keep.length), __pos: Float64Array.from(keep, (r) => i * 5 + r),
      }).batches[0]!;
      yield { inputBatches: i + 1, outputs: [out], quarantined: q, counters: [c] };
    }
  };
}

const req = (p: PhysicalPlan) => ({ plan: p, fingerprint: 'fp', stage: 's0', partition: 0, outDir: dir, batchSize: 5, poisoned: [] });

describe('executeTask', () => {
  it('commits per input batch, resumes from the checkpoint after a crash, and writes sink + quarantine', async () => {
    const store = new LocalBlobStore(join(dir, '_store'));
    const calls: number[] = [];
    const p = plan(false);
    await expect(executeTask(req(p), store, fakeSource(calls, 6), { heartbeat() {} })).rejects.toThrow('simulated crash');
    const partial = await readCheckpoint(store, keys.checkpoint('s0', 0));
    expect(partial).toMatchObject({ inputBatches: 6, final: false });
    const summary = await executeTask(req(p), store, fakeSource(calls), { heartbeat() {} });
    expect(calls).toEqual([0, 6]);
    const ids = Array.from({ length: 50 }, (_, i) => i).filter((i) => i % 7 !== 0 && i % 3 !== 0);
    expect(summary.rows).toBe(ids.length);
    expect(summary.counters[0]).toMatchObject({ documentsIn: 50, documentsOut: ids.length, quarantined: 8 });
    const lines = (await readFile(join(dir, 'docs', 'part-s0-00000.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { id: number }).id)).toEqual(ids);
    expect(lines[0]).not.toContain('__pos');
    const q = (await readFile(join(dir, 'quarantine', 's0-00000.jsonl'), 'utf8')).trim().split('\n');
    expect(q.map((l) => (JSON.parse(l) as { pos: number }).pos)).toEqual([0, 7, 14, 21, 28, 35, 42, 49]);
    // Committed: a rerun does nothing.
    const again = await executeTask(req(p), store, fakeSource(calls), { heartbeat() {} });
    expect(again.skipped).toBe(true);
    expect(calls).toEqual([0, 6]);
  });

  it('refuses a checkpoint of another plan', async () => {
    const store = new LocalBlobStore(join(dir, '_store'));
    await executeTask(req(plan(false)), store, fakeSource([]), { heartbeat() {} });
    await expect(executeTask({ ...req(plan(false)), fingerprint: 'other' }, store, fakeSource([]), { heartbeat() {} }))
      .rejects.toThrow(/different plan/);
  });

  it('buckets output for a wide consumer, which reads its bucket in input order', async () => {
    const store = new LocalBlobStore(join(dir, '_store'));
    const p = plan(true);
    await executeTask(req(p), store, fakeSource([]), { heartbeat() {} });
    const ck = (await readCheckpoint(store, keys.committed('s0', 0)))!;
    expect(ck.pieces.every((x) => x.buckets?.length === 2)).toBe(true);
    const seen: number[][] = [];
    for (const part of p.stages[1]!.partitions) {
      const ids: number[] = [];
      for await (const b of readStageInput(p, p.stages[1]!, part, store)) ids.push(...(b.getChild('id')!.toArray() as Int32Array));
      seen.push(ids);
    }
    const all = Array.from({ length: 50 }, (_, i) => i).filter((i) => i % 7 !== 0 && i % 3 !== 0);
    expect([...seen[0]!, ...seen[1]!].sort((a, b) => a - b)).toEqual(all);
    for (const s of seen) expect(s).toEqual([...s].sort((a, b) => a - b));
    expect(seen[0]!.length).toBeGreaterThan(0);
    expect(seen[1]!.length).toBeGreaterThan(0);
    expect(await readPieces(store, 's0', 0, { ...ck, pieces: [] })).toEqual([]);
    expect((await readdir(dir)).includes('quarantine')).toBe(true);
  });
});
