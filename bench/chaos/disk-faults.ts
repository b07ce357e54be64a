import { rm } from 'node:fs/promises';
import { strayTempFiles } from './outputs.ts';
import { compareToReference, type Reference } from './reference.ts';
import { describeExit, runArgs, runSluice, type SluiceExit } from './sluice-process.ts';

/** A place where the disk fails, as a `SLUICE_FAULT_FS` spec without its n. */
export interface FaultPlace {
  name: string;
  op: 'write' | 'rename';
  errno: 'ENOSPC' | 'EIO';
  /** A part of the failing path: the injected error names the whole path. */
  pathPart: string;
}

/**
 * The four places of the issue, for a case whose reference shows them: a store chunk's write, a
 * store manifest's rename, a sink part's write (token parts, or Parquet/JSONL parts) and the token
 * shard assembly's write. Places the case never reaches (no token sink) are left out.
 */
export function faultPlaces(ref: Reference): FaultPlace[] {
  const has = (part: string) => ref.events.some((e) => e.rel.includes(part));
  const sinkPart = has('/_parts/') ? '/_parts/' : '/part-';
  const places: FaultPlace[] = [
    { name: 'chunk write', op: 'write', errno: 'ENOSPC', pathPart: '/_store/chunks/' },
    { name: 'manifest rename', op: 'rename', errno: 'EIO', pathPart: '/_store/manifests/' },
    { name: 'sink part write', op: 'write', errno: 'ENOSPC', pathPart: sinkPart },
  ];
  if (ref.phases.includes('shard-assembly')) places.push({ name: 'shard assembly write', op: 'write', errno: 'ENOSPC', pathPart: '/tokens-' });
  return places;
}

/** One fault, the failed run, and the resume after it. */
export interface FaultRecord {
  place: string;
  spec: string;
  /** The failed run's message, as the user sees it. */
  message: string;
  problems: string[];
  ms: number;
}

/** How many of the reference's commits the fault's operation matches (each commit has one write and one rename). */
const occurrences = (ref: Reference, p: FaultPlace) => ref.events.filter((e) => `/${e.rel}`.includes(p.pathPart)).length;

/**
 * Checks what a run stopped by a disk error printed: the error code and its description, the
 * failing path, the way to resume, and no stack trace.
 */
export function diskErrorMessageProblems(r: SluiceExit, code: string, pathPart: string): string[] {
  const problems: string[] = [];
  if (r.code !== 1) problems.push(`the failed run exited ${r.code ?? r.signal}, expected 1: ${describeExit(r)}`);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('sluice: '));
  const error = lines.find((l) => l.includes(`${code}: `));
  if (!error) problems.push(`no "sluice: ... ${code}: ..." line on stderr: ${describeExit(r)}`);
  else if (!error.includes(pathPart)) problems.push(`the error does not name the path: ${error}`);
  if (!lines.some((l) => l.includes('rerun the same command to resume'))) problems.push('the failed run did not say how to resume');
  if (/^\s+at /m.test(r.stderr)) problems.push('the failed run printed a stack trace');
  return problems;
}

/**
 * A fresh run of the reference's case fails at the n-th matching operation (n drawn with `rand`
 * among the reference's), must stop with a clear message and leave no temp file beside a committed
 * one; the resume without the fault ("space freed") must finish with the reference's output.
 */
export async function diskFault(ref: Reference, place: FaultPlace, rand: () => number): Promise<FaultRecord> {
  await rm(ref.out, { recursive: true, force: true });
  const n = place.name === 'shard assembly write' ? 1 : 1 + Math.floor(rand() * Math.max(1, occurrences(ref, place)));
  const spec = `${place.op}:${n}:${place.errno}:${place.pathPart}`;
  const failed = await runSluice(runArgs(ref.case, ref.out), { SLUICE_FAULT_FS: spec });
  const rec: FaultRecord = {
    place: place.name, spec, ms: failed.ms,
    message: failed.stderr.split('\n').filter((l) => l.startsWith('sluice: ')).join('\n'),
    problems: diskErrorMessageProblems(failed, place.errno, place.pathPart),
  };
  const stray = await strayTempFiles(ref.out);
  if (stray.length) rec.problems.push(`temp files left beside committed files: ${stray.join(', ')}`);
  const resumed = await runSluice(runArgs(ref.case, ref.out));
  rec.ms += resumed.ms;
  if (resumed.code !== 0) rec.problems.push(`resume after the fault failed: ${describeExit(resumed)}`);
  else rec.problems.push(...await compareToReference(ref));
  return rec;
}
