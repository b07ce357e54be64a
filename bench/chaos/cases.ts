import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, type PipelineCase } from './sluice-process.ts';

/** The shared data folder (real crawls and corpora, see ../shared/README.md), when present. */
const SHARED = join(ROOT, '../shared/data');

/**
 * The two pipelines the campaigns drive, one worker each (so commit points come in one order):
 * the RefinedWeb recipe from WARC to token shards (MinHash, exact-substring and URL dedup, a
 * tokens sink with shard assembly), and the README's English-quality pipeline (MinHash dedup over
 * JSONL, Parquet parts). Small batches and tasks give every phase several commit points.
 */
export function chaosCases(warcDir: string, jsonlDir: string, scale: { batchSize: number; taskBytes: number }): PipelineCase[] {
  const flags = ['--workers', '1', '--batch-size', String(scale.batchSize), '--task-bytes', String(scale.taskBytes)];
  return [
    { name: 'refinedweb', pipeline: 'pipelines/refinedweb.ts', input: warcDir, flags },
    { name: 'minhash-jsonl', pipeline: 'pipelines/english-quality.ts', input: jsonlDir, flags },
  ];
}

/** The CI variant's inputs: the bundled fixtures. */
export const FIXTURE_INPUTS = { warc: join(ROOT, 'fixtures/warc'), jsonl: join(ROOT, 'fixtures/corpus') };

/**
 * The full runner's corpus: `copies` copies of every real WARC and JSONL file of ../shared (or of
 * the fixtures without it) under `dir`. Copies are named apart, so later ones are near-duplicates
 * of earlier ones: the dedup phases have real work, and the corpus grows to the size asked for.
 */
export async function buildCorpus(dir: string, copies: number): Promise<{ warc: string; jsonl: string; bytes: number }> {
  const warcSrc = existsSync(join(SHARED, 'warc')) ? join(SHARED, 'warc') : FIXTURE_INPUTS.warc;
  const jsonlSrc = existsSync(join(SHARED, 'corpus')) ? join(SHARED, 'corpus') : FIXTURE_INPUTS.jsonl;
  const warc = join(dir, 'warc');
  const jsonl = join(dir, 'jsonl');
  await rm(dir, { recursive: true, force: true });
  let bytes = 0;
  const copy = async (src: string, dest: string, keep: (name: string) => boolean) => {
    await mkdir(dest, { recursive: true });
    for (const name of (await readdir(src)).filter(keep).sort()) {
      for (let i = 0; i < copies; i++) {
        const target = join(dest, `copy${String(i).padStart(3, '0')}.${name}`);
        await copyFile(join(src, name), target);
        bytes += (await stat(target)).size;
      }
    }
  };
  await copy(warcSrc, warc, (n) => /\.warc(\.gz)?$/.test(n));
  await copy(jsonlSrc, jsonl, (n) => /\.(jsonl|jsonl\.gz|json\.gz)$/.test(n));
  return { warc, jsonl, bytes };
}
