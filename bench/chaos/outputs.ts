import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * Paths under an output that differ between two correct runs of the same plan, so the comparison
 * leaves them out: the blob store (attempt records carry dates; a killed run leaves garbage chunks
 * that `gc` removes), the report (timings), the driver lock, logs, and `stats.json`, whose counts
 * are compared separately by {@link statsCounts} (its CPU and wall times differ run to run).
 * Everything else — documents, token shards, indexes and manifest, quarantine, drop logs,
 * plan.json — must be byte-identical.
 */
export const RUN_SPECIFIC = ['_store/', 'report.html', 'stats.json', '.sluice-driver.lock', 'logs/'] as const;

const isRunSpecific = (rel: string): boolean => RUN_SPECIFIC.some((p) => (p.endsWith('/') ? rel.startsWith(p) : rel === p));

/** sha256 of every compared file under `outDir`, by relative path. */
export async function outputDigest(outDir: string): Promise<Map<string, string>> {
  const files = (await readdir(outDir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => relative(outDir, join(e.parentPath, e.name)))
    .filter((rel) => !isRunSpecific(rel))
    .sort();
  const out = new Map<string, string>();
  for (const rel of files) out.set(rel, createHash('sha256').update(await readFile(join(outDir, rel))).digest('hex'));
  return out;
}

/** What differs between two digests, one line a file (empty: identical). */
export function diffDigests(expected: Map<string, string>, actual: Map<string, string>): string[] {
  const lines: string[] = [];
  for (const [rel, h] of expected) {
    if (!actual.has(rel)) lines.push(`missing ${rel}`);
    else if (actual.get(rel) !== h) lines.push(`differs ${rel}`);
  }
  for (const rel of actual.keys()) if (!expected.has(rel)) lines.push(`extra ${rel}`);
  return lines;
}

interface StepStats {
  stage: string; step: number; name: string; documentsIn: number; documentsOut: number;
  dropped: Record<string, number>; quarantined: number;
}
interface Stats { fingerprint: string; steps: StepStats[]; stages: unknown; totals: { documentsIn: number; documentsOut: number; dropped: Record<string, number>; quarantined: number } }

/** Keys of `stats.json` objects that measure time, not documents. */
const TIMING = /(cpu|wall|Ms$)/i;

function withoutTimings(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutTimings);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([k]) => !TIMING.test(k)).map(([k, x]) => [k, withoutTimings(x)]));
  }
  return v;
}

/** `stats.json` without times (`overheads` are CPU times only): the counts two runs must share. */
export async function statsCounts(outDir: string): Promise<unknown> {
  const stats = JSON.parse(await readFile(join(outDir, 'stats.json'), 'utf8')) as Stats & { overheads?: unknown };
  const { overheads: _times, ...counts } = stats;
  return withoutTimings(counts);
}

/**
 * The accounting invariant, checked again from the file: per step, documents in = out + dropped +
 * quarantined, and each step's input is the previous step's output within a stage. Returns problems.
 */
export async function invariantProblems(outDir: string): Promise<string[]> {
  const stats = JSON.parse(await readFile(join(outDir, 'stats.json'), 'utf8')) as Stats;
  const problems: string[] = [];
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  let prev: StepStats | undefined;
  for (const s of stats.steps) {
    const accounted = s.documentsOut + sum(s.dropped) + s.quarantined;
    if (s.documentsIn !== accounted) problems.push(`${s.stage} ${s.name}: ${s.documentsIn} in but ${accounted} out + dropped + quarantined`);
    if (prev?.stage === s.stage && prev.documentsOut !== s.documentsIn) problems.push(`${s.stage} ${s.name}: ${s.documentsIn} in after ${prev.documentsOut} out of ${prev.name}`);
    prev = s;
  }
  const t = stats.totals;
  if (t.documentsIn !== t.documentsOut + sum(t.dropped) + t.quarantined) problems.push(`totals: ${t.documentsIn} in but ${t.documentsOut + sum(t.dropped) + t.quarantined} accounted`);
  return problems;
}

/** Temp files a failed or killed writer left beside committed files (outside the store's own tmp/). */
export async function strayTempFiles(outDir: string): Promise<string[]> {
  const all = await readdir(outDir, { recursive: true, withFileTypes: true }).catch(() => []);
  return all.filter((e) => e.isFile() && e.name.endsWith('.tmp'))
    .map((e) => relative(outDir, join(e.parentPath, e.name)))
    .filter((rel) => !rel.startsWith('_store/tmp/'));
}

/** Bytes of all files under `dir` (blob store included): the space a run needs. */
export async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) total += (await stat(join(e.parentPath, e.name))).size;
  }
  return total;
}
