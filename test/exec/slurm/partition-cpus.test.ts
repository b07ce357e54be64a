import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { partitionCpus } from '../../../src/exec/slurm/queue.ts';

const dir = mkdtempSync(join(tmpdir(), 'sluice-sinfo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A `sinfo` that prints `lines` whatever it is asked (the parser must pick its partitions). */
function fakeSinfo(lines: string[]): NodeJS.ProcessEnv {
  const bin = mkdtempSync(join(dir, 'bin-'));
  writeFileSync(join(bin, 'sinfo'), `#!/bin/sh\nprintf '%s\\n' ${lines.map((l) => `'${l}'`).join(' ')}\n`);
  chmodSync(join(bin, 'sinfo'), 0o755);
  return { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
}

describe('partitionCpus (sinfo %P %C: allocated/idle/other/total)', () => {
  const cluster = fakeSinfo(['cpu* 10/54/0/64', 'cpu* 0/0/32/32', 'gpu 4/4/0/8', 'big 0/128/0/128', 'down 0/0/16/16']);

  it('counts allocated + idle CPUs of the default partition (marked *), over all its lines', async () => {
    expect(await partitionCpus(undefined, { env: cluster })).toBe(64);
  });

  it('counts a named partition, or each of a comma-separated list', async () => {
    expect(await partitionCpus('gpu', { env: cluster })).toBe(8);
    expect(await partitionCpus('cpu', { env: cluster })).toBe(64);
    expect(await partitionCpus('gpu,big', { env: cluster })).toBe(136);
  });

  it('falls back to the total when every node is down or drained, and refuses a partition with none', async () => {
    expect(await partitionCpus('down', { env: cluster })).toBe(16);
    await expect(partitionCpus('nope', { env: cluster })).rejects.toThrow(/no CPUs found for partition nope/);
    await expect(partitionCpus(undefined, { env: fakeSinfo(['gpu 4/4/0/8']) })).rejects.toThrow(/no CPUs found for the default partition/);
  });
});
