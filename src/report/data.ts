import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { analyzePlan } from '../planner/analyze.ts';
import { col } from '../plan/expr.ts';
import { readParquet } from '../dataframe/read.ts';
import { readTokenShardManifest, type TokenShardManifest } from '../io/token-shards/writer.ts';
import type { SinkSpec } from '../plan/logical-plan.ts';
import { isS3Uri } from '../storage/uri.ts';
import type { DropLog } from '../exec/accounting/drop-log.ts';
import { files } from '../exec/state/layout.ts';
import type { RunStats } from '../exec/accounting/counters.ts';
import { outputFiles, readOutputJson } from './output-files.ts';

/** Everything the report shows, read back from a finished run's output directory. */
export interface ReportData {
  outDir: string;
  stats: RunStats;
  /** Token shard manifests by sink directory. */
  tokens: { dir: string; manifest: TokenShardManifest }[];
  /** Kept documents (from the Parquet documents output), when there is one with a `text` column. */
  kept?: { chars: number[]; tokenCounts: number[] };
  /**
   * Kept documents by language, from the accounting (the last step that had a `language` column),
   * so it holds whatever columns the pipeline finally selects.
   */
  keptLanguages: Record<string, number>;
  /** Languages of documents dropped after language ID (from the drop logs). */
  droppedLanguages: Record<string, number>;
  quarantined: number;
}

interface PlanFile { stages: { id: string; output: { kind: string; sink?: SinkSpec } }[] }

/** Reads stats.json, plan.json, token manifests, the documents output and the drop logs of `outDir`. */
export async function loadReportData(outDir: string): Promise<ReportData> {
  const stats = await readOutputJson<RunStats>(files.stats(outDir), `${outDir} has no stats.json: is it the output directory of a finished \`sluice run\`?`);
  const { tokenDirs, docDirs } = await outputDirs(outDir);
  const tokens: ReportData['tokens'] = [];
  for (const dir of tokenDirs) tokens.push({ dir, manifest: await readTokenShardManifest(dir) });
  const kept = await readKept(docDirs);
  return { outDir, stats, tokens, ...(kept ? { kept } : {}), keptLanguages: keptLanguages(stats), droppedLanguages: await droppedLanguages(outDir), quarantined: stats.totals.quarantined };
}

/** The run's token-shard directories and Parquet document directories, from its plan.json. */
export async function outputDirs(outDir: string): Promise<{ tokenDirs: string[]; docDirs: string[] }> {
  const plan = await readOutputJson<PlanFile>(files.plan(outDir), `${outDir} has no plan.json: is it the output directory of a \`sluice run\`?`);
  const tokenDirs: string[] = [], docDirs: string[] = [];
  for (const s of plan.stages) {
    const sink = s.output.kind === 'sink' ? s.output.sink : undefined;
    if (sink?.format === 'tokens') {
      tokenDirs.push(relocate(outDir, sink.path));
      if (typeof sink.options.documents === 'string') docDirs.push(relocate(outDir, sink.options.documents));
    } else if (sink?.format === 'parquet') {
      docDirs.push(relocate(outDir, sink.path));
    }
  }
  return { tokenDirs, docDirs };
}

/** Sink paths in plan.json are absolute (or `s3://` URIs); an output directory that was moved still finds its parts. */
function relocate(outDir: string, path: string): string {
  return isS3Uri(path) || existsSync(path) ? path : join(outDir, basename(path));
}

async function readKept(dirs: string[]): Promise<ReportData['kept']> {
  const chars: number[] = [], tokenCounts: number[] = [];
  let found = false;
  for (const dir of dirs) {
    const parts = await outputFiles(dir, '.parquet');
    if (!parts.length) continue;
    const base = readParquet(parts);
    const scan = await analyzePlan(base.plan);
    const fields = new Set(scan.kind === 'scan' ? (scan.source.schema ?? []).map((f) => f.name) : []);
    if (!fields.has('text')) continue;
    const t = await base.select({
      chars: col('text').length(),
      ...(fields.has('token_count') ? { token_count: col('token_count') } : {}),
    }).collect();
    found = true;
    const c = t.getChild('chars'), k = t.getChild('token_count');
    for (let i = 0; i < t.numRows; i++) {
      chars.push(Number(c?.get(i) ?? 0));
      if (k) tokenCounts.push(Number(k.get(i) ?? 0));
    }
  }
  return found ? { chars, tokenCounts } : undefined;
}

/** The per-language counts of the run's last step that recorded them (see `StepCounters.languages`). */
function keptLanguages(stats: RunStats): Record<string, number> {
  for (let i = stats.steps.length - 1; i >= 0; i--) {
    const languages = stats.steps[i]!.languages;
    if (languages) return languages;
  }
  return {};
}

async function droppedLanguages(outDir: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const uri of await outputFiles(files.dropped(outDir), '.json')) {
    const log = await readOutputJson<DropLog>(uri, `${uri} vanished while reading`);
    for (const [l, c] of Object.entries(log.languages)) out[l] = (out[l] ?? 0) + c;
  }
  return out;
}
