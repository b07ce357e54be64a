import { basename, relative, resolve } from 'node:path';
import fg from 'fast-glob';

/** What a pattern matched under a directory, and what it skipped that looks like the same data. */
export interface FileMatch {
  /** Matched files: sorted absolute paths. */
  files: string[];
  /**
   * Unmatched files in the pattern's tree whose extension differs from a matched file's only in
   * case, spelling or compression (`.json.gz`, `.jsonl.gzip`, `.JSONL` next to `.jsonl.gz`),
   * sorted absolute paths.
   */
  nearMisses: string[];
}

const COMPRESSION = new Set(['gz', 'gzip', 'zst', 'zstd', 'bz2', 'xz']);
const SPELLINGS: Record<string, string> = { ndjson: 'jsonl' };

/** `a.jsonl.gz` → `jsonl.gz`, `a.JSONL` → `JSONL`: the format extension and any compression after it. */
function extension(path: string): string {
  const parts = basename(path).split('.').slice(1);
  if (parts.length >= 2 && COMPRESSION.has(parts[parts.length - 1]!.toLowerCase())) return parts.slice(-2).join('.');
  return parts.slice(-1).join('.');
}

/**
 * The format an extension stands for, whatever its case, spelling or compression: a pattern asking
 * for `.jsonl` that skips `.jsonl.gz` loses data just the same. A compressed `.json` is JSON lines
 * in practice; a bare `.json` is often metadata, so it stays apart.
 */
function canonical(ext: string): string {
  const parts = ext.toLowerCase().split('.');
  const format = SPELLINGS[parts[0]!] ?? parts[0]!;
  return format === 'json' && parts.length === 2 ? 'jsonl' : format;
}

/**
 * Matches fast-glob patterns under `dir` and finds near misses: a pattern that silently skips
 * `.json.gz` files next to the `.jsonl.gz` ones it asked for loses data without any error.
 */
export function matchFiles(patterns: string | readonly string[], dir: string): FileMatch {
  const cwd = resolve(dir);
  const files = fg.sync(typeof patterns === 'string' ? patterns : [...patterns], { cwd, absolute: true, onlyFiles: true }).sort();
  if (files.length === 0) return { files, nearMisses: [] };
  const nearMisses = nearMissesAmong(files, fg.sync(siblingPatterns(patterns), { cwd, absolute: true, onlyFiles: true })).sort();
  return { files, nearMisses };
}

/** The patterns of the same tree as `patterns`: each one's directory part with any file name. */
export function siblingPatterns(patterns: string | readonly string[]): string[] {
  return (typeof patterns === 'string' ? [patterns] : patterns).map((p) => (p.includes('/') ? `${p.slice(0, p.lastIndexOf('/'))}/*` : '*'));
}

/**
 * The `candidates` (files of the patterns' tree) that were not matched but whose extension differs
 * from a matched file's only in case, spelling or compression; for local files and object keys alike.
 */
export function nearMissesAmong(files: readonly string[], candidates: readonly string[]): string[] {
  const matched = new Set(files);
  const exact = new Set(files.map(extension));
  const wanted = new Set([...exact].map(canonical));
  return candidates.filter((f) => !matched.has(f) && !exact.has(extension(f)) && wanted.has(canonical(extension(f))));
}

/** Warns on stderr about near misses, naming up to 5 of them (relative to `dir`, a directory or an `s3://` prefix) and how many in all. */
export function warnNearMisses(pattern: string, dir: string, match: FileMatch): void {
  const n = match.nearMisses.length;
  if (n === 0) return;
  const under = dir.endsWith('/') ? dir : `${dir}/`;
  const shown = match.nearMisses.slice(0, 5).map((f) => (f.startsWith(under) ? f.slice(under.length) : relative(dir, f))).join(', ');
  process.stderr.write(`sluice: warning: pattern ${JSON.stringify(pattern)} under ${dir} matched ${match.files.length} files ` +
    `but skipped ${n} with a similar extension: ${shown}${n > 5 ? `, ... (${n} in all)` : ''}; widen the pattern if they are input\n`);
}

/** The message for a pattern that matched nothing: the pattern, the directory and what it does hold. */
export function noFilesMessage(what: string, pattern: string, dir: string): string {
  const present = fg.sync('**/*', { cwd: dir, onlyFiles: true, ignore: ['**/node_modules/**', '**/.git/**'] }).sort();
  const holds = present.length === 0 ? 'the directory holds no files'
    : `the directory holds ${present.length} files, e.g. ${present.slice(0, 5).join(', ')}`;
  return `no ${what} under ${dir} match ${JSON.stringify(pattern)} (${holds})`;
}

/**
 * Splits a fast-glob pattern into the directory its static prefix names and the pattern relative
 * to it (`/data/{a,b}/*.jsonl` → `/data`, `{a,b}/*.jsonl`), so the pattern's tree is known.
 */
export function splitPattern(pattern: string): { dir: string; pattern: string } {
  const bases = fg.generateTasks([pattern]).map((t) => t.base.split('/'));
  const common: string[] = [];
  for (let i = 0; bases.every((b) => b[i] !== undefined && b[i] === bases[0]![i]); i++) common.push(bases[0]![i]!);
  const base = common.join('/');
  if (base === '' || base === '.' || !pattern.startsWith(`${base}/`)) return { dir: resolve('.'), pattern };
  return { dir: resolve(base), pattern: pattern.slice(base.length + 1) };
}
