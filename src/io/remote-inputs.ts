import type { SourceSpec } from '../plan/logical-plan.ts';
import { isS3Uri, parseS3Uri } from '../storage/index.ts';
import { DIRECTORY_PATTERNS } from './input-patterns.ts';
import { globBase, globToRegExp, isGlob } from './location/glob.ts';
import { listInputs, statInput } from './location/input-file.ts';

/**
 * Resolves the `s3://` entries of a scan's paths into object URIs, once, when the plan is
 * analyzed (readers' `read.*` calls are synchronous and cannot list): a prefix ending in `/` (or a
 * key that is no object but has objects under it) lists to the objects matching the format's
 * directory patterns; a key with glob syntax lists its literal leading part and matches the rest;
 * any other key must be an object (HeadObjects sent concurrently). Each entry expands in place, a listing in UTF-8 byte order (S3's
 * own), and an object named twice is read once, where it first appears. A missing object, a prefix
 * without matching objects or a pattern matching nothing is an error naming it. Local entries
 * (already resolved when the frame was built) pass through; without `s3://` entries the same array
 * is returned.
 */
export async function resolveRemoteInputs(format: SourceSpec['format'], paths: string[]): Promise<string[]> {
  if (format === 'records' || !paths.some(isS3Uri)) return paths;
  // Objects named one by one (an input list can name 100,000) are checked concurrently; the
  // connection bounds the requests in flight.
  const named = paths.filter((p) => isS3Uri(p) && !isGlob(parseS3Uri(p).key) && !p.endsWith('/') && parseS3Uri(p).key !== '');
  const exists = new Map(await Promise.all(named.map(async (p) => [p, (await statInput(p)) !== undefined] as const)));
  const out = new Set<string>();
  for (const entry of paths) {
    if (!isS3Uri(entry)) { out.add(entry); continue; }
    if (exists.get(entry)) { out.add(entry); continue; }
    for (const uri of await expandEntry(entry, format)) out.add(uri);
  }
  return [...out];
}

async function expandEntry(entry: string, format: Exclude<SourceSpec['format'], 'records'>): Promise<string[]> {
  const { bucket, key } = parseS3Uri(entry);
  const root = `s3://${bucket}/`;
  if (isGlob(key)) {
    const { base, rest } = globBase(key);
    return matching(`${root}${base}`, [rest], entry, `${format} objects`);
  }
  if (key === '' || key.endsWith('/')) return matching(entry, DIRECTORY_PATTERNS[format], entry, `${format} objects`);
  const under = await listInputs(`${entry}/`);
  if (under.length > 0) return matching(`${entry}/`, DIRECTORY_PATTERNS[format], entry, `${format} objects`);
  throw new Error(`input not found: ${entry} (no such object, and no objects under ${entry}/)`);
}

/** The objects under `prefix` whose paths below it match one of `patterns`; none is an error naming what the prefix holds. */
async function matching(prefix: string, patterns: readonly string[], entry: string, what: string): Promise<string[]> {
  const entries = await listInputs(prefix);
  const res = patterns.map(globToRegExp);
  const hits = entries.filter((e) => res.some((re) => re.test(e.path))).map((e) => e.uri);
  if (hits.length === 0) throw new Error(noObjectsMessage(what, patterns.join(', '), entry, entries.map((e) => e.path)));
  return hits;
}

/** The message for a listing that matched nothing: the pattern, the prefix and what it does hold. */
export function noObjectsMessage(what: string, pattern: string, prefix: string, present: readonly string[]): string {
  const holds = present.length === 0 ? 'the prefix holds no objects'
    : `the prefix holds ${present.length} objects, e.g. ${present.slice(0, 5).join(', ')}`;
  return `no ${what} under ${prefix} match ${JSON.stringify(pattern)} (${holds})`;
}
