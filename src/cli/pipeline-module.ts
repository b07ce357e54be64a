import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataFrame } from '../dataframe/dataframe.ts';
import { matchFiles, noFilesMessage, warnNearMisses } from '../dataframe/match-files.ts';
import { importModule } from '../exec/pool/module-loader.ts';
import { resolveSinkPath } from '../io/sinks.ts';
import type { LogicalPlan, SinkSpec } from '../plan/logical-plan.ts';

/**
 * What a pipeline script receives. A pipeline script is a TypeScript module (conventionally in
 * `pipelines/`) whose default export is a {@link Pipeline}:
 *
 * ```ts
 * import { definePipeline } from '../src/cli/pipeline-module.ts';
 * import { readJsonl } from '../src/dataframe/read.ts';
 * import { col } from '../src/dataframe/expr.ts';
 *
 * export default definePipeline((ctx) =>
 *   readJsonl(ctx.files('**\/*.jsonl.gz')).filter(col('text').length().gt(200)));
 * ```
 *
 * The script only builds a lazy DataFrame: `sluice run` plans and executes it, `sluice explain`
 * prints its plans. Workers import the script too, so operators it defines with `defineOperator`
 * are registered on every thread; keep module top level free of other side effects.
 */
export interface PipelineContext {
  /** Absolute path of `--input` (a directory). */
  input: string;
  /** Absolute path of `--output`. */
  output: string;
  /**
   * Input files under `input` matching a fast-glob pattern (default: `--pattern`, else every file),
   * as sorted absolute paths; sorted order is input order, which defines output order. Matching
   * nothing is an error naming the pattern and the directory; skipping files whose extension is
   * spelled differently (`.json.gz` for `.jsonl.gz`) prints a warning naming them.
   */
  files(pattern?: string): string[];
  /** `--option key=value` pairs, for pipeline-specific settings (thresholds, languages, ...). */
  options: Record<string, string>;
}

/**
 * Where the run writes the frame's rows when the pipeline does not say: Parquet parts under
 * `<output>/documents/`. A pipeline picks another sink by returning `{ frame, sink }`; a relative
 * sink path is resolved against the output directory. Sink paths name directories: each task of the
 * final stage writes one `part-<stage>-<partition>` file there.
 */
export type PipelineResult = DataFrame | { frame: DataFrame; sink?: SinkSpec };

export type Pipeline = (ctx: PipelineContext) => PipelineResult | Promise<PipelineResult>;

/** Identity function that gives a pipeline script its types. */
export function definePipeline(pipeline: Pipeline): Pipeline {
  return pipeline;
}

/** Builds the context a pipeline receives. */
export function pipelineContext(input: string, output: string, options: Record<string, string>, pattern?: string): PipelineContext {
  const inputDir = resolve(input);
  if (!statSync(inputDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`--input ${input}: no such directory`);
  }
  return {
    input: inputDir,
    output: resolve(output),
    options,
    files(p?: string): string[] {
      const glob = p ?? pattern ?? '**/*';
      const match = matchFiles(glob, inputDir);
      if (match.files.length === 0) throw new Error(noFilesMessage('files', glob, inputDir));
      warnNearMisses(glob, inputDir, match);
      return match.files;
    },
  };
}

/** The loaded pipeline: its logical plan, ending in a sink, and its absolute module path. */
export interface LoadedPipeline {
  plan: LogicalPlan;
  module: string;
}

/** Imports a pipeline script, calls it and returns its plan with the run's sink on top. */
export async function loadPipeline(path: string, ctx: PipelineContext): Promise<LoadedPipeline> {
  const module = resolve(path);
  let imported: { default?: unknown };
  try {
    imported = (await importModule(module)) as { default?: unknown };
  } catch (e) {
    throw new Error(`cannot load pipeline ${path}: ${(e as Error).message}`, { cause: e });
  }
  if (typeof imported.default !== 'function') {
    throw new Error(`pipeline ${path} must default-export a function (ctx) => DataFrame; see src/cli/pipeline-module.ts`);
  }
  const result = (await (imported.default as Pipeline)(ctx)) as unknown;
  const { frame, sink } = asResult(result, path);
  let plan = frame.plan;
  if (plan.kind !== 'sink') {
    const chosen = sink ?? { format: 'parquet', path: 'documents' };
    plan = { kind: 'sink', input: plan, sink: { ...chosen, path: resolveSinkPath(chosen.path, ctx.output) } };
  }
  return { plan, module };
}

function asResult(result: unknown, path: string): { frame: DataFrame; sink?: SinkSpec } {
  if (result instanceof DataFrame) return { frame: result };
  if (result && typeof result === 'object' && (result as { frame?: unknown }).frame instanceof DataFrame) {
    return result as { frame: DataFrame; sink?: SinkSpec };
  }
  const frame = (result as { frame?: unknown } | null)?.frame ?? result;
  if (frame && typeof frame === 'object' && 'plan' in frame) {
    // A DataFrame of another copy of sluice: its operators registered in that copy, not this one.
    throw new Error(`pipeline ${path} built its DataFrame with another copy of sluice than the CLI running it; import from 'sluice'`);
  }
  throw new Error(`pipeline ${path} returned ${describe(result)}; expected a DataFrame or { frame, sink }`);
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'object') return `an object with keys [${Object.keys(v).join(', ')}]`;
  return `a ${typeof v}`;
}
