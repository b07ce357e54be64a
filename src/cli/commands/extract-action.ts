import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { extractMainText, type ExtractResult } from '../../ops/extract/extract.ts';
import { defaultExtractOptions, type ExtractOptions } from '../../ops/extract/options.ts';

/** HTML files batch mode picks up; the captured group is the output name. */
const HTML_FILE = /^(.+)\.html?(\.gz)?$/i;

/** Gunzips when the bytes start with the gzip magic number, whatever the file name says. */
function maybeGunzip(bytes: Uint8Array): Uint8Array {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Extracts one page from a file (`.gz` or plain) or `-` for stdin. */
export async function extractFile(path: string, options: ExtractOptions): Promise<ExtractResult> {
  const raw = path === '-' ? await readStdin() : await readFile(path);
  let bytes: Uint8Array;
  try {
    bytes = maybeGunzip(raw);
  } catch (e) {
    return { ok: false, reason: 'extract:error', message: `cannot gunzip ${path}: ${(e as Error).message}` };
  }
  return extractMainText(bytes, options);
}

/** What batch mode did: files written and files refused, with the reason. */
export interface ExtractDirSummary {
  written: string[];
  failed: Array<{ file: string; reason: string }>;
}

/**
 * Writes `<out>/<name>.txt` for every `<name>.html`, `.htm` or `.html.gz` in `dir` (sorted, one at a
 * time, so memory stays at one page). A page over a limit gets no file and is listed in `failed`;
 * a page with no text gets an empty file.
 */
export async function extractDir(dir: string, out: string, options: ExtractOptions): Promise<ExtractDirSummary> {
  await mkdir(out, { recursive: true });
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isFile() && HTML_FILE.test(d.name)).map((d) => d.name).sort();
  const summary: ExtractDirSummary = { written: [], failed: [] };
  for (const name of names) {
    const r = await extractFile(join(dir, name), options);
    if (!r.ok) { summary.failed.push({ file: name, reason: r.message }); continue; }
    const target = join(out, `${HTML_FILE.exec(name)![1]}.txt`);
    await writeFile(target, r.text === '' ? '' : `${r.text}\n`);
    summary.written.push(basename(target));
  }
  return summary;
}

export interface RawFlags {
  dir?: string; out?: string; favorPrecision?: boolean; favorRecall?: boolean; tables: boolean;
  comments?: boolean; metadata?: boolean; timeBudget?: string;
}

function optionsFrom(flags: RawFlags): ExtractOptions {
  const budget = flags.timeBudget === undefined ? undefined : Number(flags.timeBudget);
  if (budget !== undefined && !(Number.isInteger(budget) && budget >= 0)) {
    throw new Error(`--time-budget must be a whole number of milliseconds, got "${flags.timeBudget}"`);
  }
  return defaultExtractOptions({
    favorPrecision: flags.favorPrecision ?? false, favorRecall: flags.favorRecall ?? false,
    includeTables: flags.tables, includeComments: flags.comments ?? false,
    ...(budget === undefined ? {} : { timeBudgetMs: budget }),
  });
}

/** The `sluice extract` command's work, loaded only when the command runs (so `--help` stays fast). */
export async function extractCommand(file: string | undefined, flags: RawFlags): Promise<void> {
  const options = optionsFrom(flags);
  if (flags.dir !== undefined) {
    if (file !== undefined) throw new Error('give either a file or --dir, not both');
    if (flags.out === undefined) throw new Error('--dir needs --out <dir>');
    const s = await extractDir(flags.dir, flags.out, options);
    for (const f of s.failed) process.stderr.write(`${f.file}: ${f.reason}\n`);
    process.stderr.write(`extracted ${s.written.length} page(s) to ${flags.out}, ${s.failed.length} refused\n`);
    return;
  }
  if (file === undefined) throw new Error('give an HTML file (or - for stdin), or --dir <dir> --out <dir>');
  const r = await extractFile(file, options);
  if (!r.ok) throw new Error(`${file}: ${r.message}`);
  if (flags.metadata) process.stdout.write(`title: ${r.title ?? ''}\ndate: ${r.date ?? ''}\nauthor: ${r.author ?? ''}\n\n`);
  process.stdout.write(r.text === '' ? '' : `${r.text}\n`);
}
