import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { diskErrorMessageProblems, type FaultRecord } from './disk-faults.ts';
import { strayTempFiles } from './outputs.ts';
import { compareToReference, referenceRun } from './reference.ts';
import { runArgs, runSluice, describeExit, type PipelineCase } from './sluice-process.ts';

const mount = (args: string[]) => execFileSync('mount', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/** Whether this process may mount a tmpfs (root, and a kernel and container that allow it). */
export function canMountTmpfs(dir: string): boolean {
  try {
    mount(['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
    execFileSync('umount', [dir]);
    return true;
  } catch {
    return false;
  }
}

/**
 * A real full disk: the case runs into a tmpfs of `fraction` of the space its reference run used
 * (the reference runs on the same mount point, since the output path is part of the fingerprint),
 * must stop with ENOSPC and a clear message; then the tmpfs is grown ("space freed") and the
 * resume must finish with the reference's output.
 */
export async function tmpfsFull(c: PipelineCase, mountDir: string, logFile: string, fraction = 0.5): Promise<FaultRecord> {
  await mkdir(mountDir, { recursive: true });
  const out = join(mountDir, 'out');
  mount(['-t', 'tmpfs', '-o', 'size=1g', 'tmpfs', mountDir]);
  try {
    const ref = await referenceRun(c, out, logFile);
    const used = ref.bytes;
    const small = Math.max(64 * 1024, Math.floor(used * fraction));
    mount(['-o', `remount,size=${small}`, mountDir]);
    const failed = await runSluice(runArgs(c, out));
    const rec: FaultRecord = {
      place: `tmpfs of ${small} bytes (${Math.round(fraction * 100)}% of ${used})`, spec: 'real ENOSPC', ms: failed.ms,
      message: failed.stderr.split('\n').filter((l) => l.startsWith('sluice: ')).join('\n'),
      problems: diskErrorMessageProblems(failed, 'ENOSPC', mountDir),
    };
    const stray = await strayTempFiles(out);
    if (stray.length) rec.problems.push(`temp files left beside committed files: ${stray.join(', ')}`);
    mount(['-o', 'remount,size=1g', mountDir]);
    const resumed = await runSluice(runArgs(c, out));
    rec.ms += resumed.ms;
    if (resumed.code !== 0) rec.problems.push(`resume after freeing space failed: ${describeExit(resumed)}`);
    else rec.problems.push(...await compareToReference(ref));
    return rec;
  } finally {
    execFileSync('umount', [mountDir]);
  }
}
