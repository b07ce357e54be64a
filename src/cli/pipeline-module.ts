import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataFrame } from '../dataframe/dataframe.ts';
import { matchFiles, nearMissesAmong, noFilesMessage, siblingPatterns, warnNearMisses } from '../dataframe/match-files.ts';
import { importModule } from '../exec/pool/module-loader.ts';
import { globToRegExp, listInputs, readInputList } from '../io/location/index.ts';
import { noObjectsMessage } from '../io/remote-inputs.ts';
import { isS3Uri, localPath } from '../storage/index.ts';
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
  /**
   * `--input`: an absolute directory path, or an `s3://bucket/prefix/` URI (with its trailing `/`).
   * With `--input-list`, the `--input-prefix` URI, else the list's own URI.
   */
  input: string;
  /** `--output`: an absolute path, or an `s3://bucket/prefix` URI without a trailing slash. */
  output: string;
  /**
   * Input files matching a fast-glob pattern (default: `--pattern`, else every file). Under a
   * local `--input`: sorted absolute paths. Under an `s3://` `--input`: the object URIs under the
   * prefix, listed once when the context is made, in UTF-8 byte order (S3's), the pattern matched
   * against keys relative to the prefix. With `--input-list`: the list's entries in list order
   * (a pattern matches paths relative to `--input-prefix`, or whole URIs outside it). The order is
   * input order, which defines document identity and output order. Matching nothing is an error
   * naming the pattern and the input; under a directory or prefix, skipping files whose extension
   * is spelled differently (`.json.gz` for `.jsonl.gz`) prints a warning naming them.
   */
  files(pattern?: string): string[];
  /** `--option key=value` pairs, for pipeline-specific settings (thresholds, languages, ...). */
  options: Record<string, string>;
}

/** Where a run's inputs come from: `--input` (a directory or `s3://` prefix), or `--input-list` with an optional `--input-prefix`. */
export type PipelineInput = string | { list: string; prefix?: string | undefined };

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

/**
 * Builds the context a pipeline receives from any input: a local directory ({@link pipelineContext}),
 * an `s3://` prefix (listed here, once) or an input list (read here, `io/location/input-list.ts`).
 */
export async function openPipelineContext(input: PipelineInput, output: string, options: Record<string, string>, pattern?: string): Promise<PipelineContext> {
  if (typeof input === 'string' && !isS3Uri(input)) return pipelineContext(input, output, options, pattern);
  const from = typeof input === 'string' ? await prefixContext(input, pattern) : await listContext(input, pattern);
  return { ...from, output: outputLocation(output), options };
}

/** Builds the context a pipeline receives for a local `--input` directory. */
export function pipelineContext(input: string, output: string, options: Record<string, string>, pattern?: string): PipelineContext {
  const inputDir = resolve(input);
  if (!statSync(inputDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`--input ${input}: no such directory`);
  }
  return {
    input: inputDir,
    output: outputLocation(output),
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

/** `--input s3://bucket/prefix/`: one listing; `files()` filters it. */
async function prefixContext(uri: string, pattern: string | undefined): Promise<Pick<PipelineContext, 'input' | 'files'>> {
  const prefix = uri.endsWith('/') ? uri : `${uri}/`;
  const entries = await listInputs(prefix);
  if (entries.length === 0) throw new Error(`--input ${uri}: no objects under ${prefix}`);
  return {
    input: prefix,
    files(p?: string): string[] {
      const glob = p ?? pattern ?? '**/*';
      const re = globToRegExp(glob);
      const hits = entries.filter((e) => re.test(e.path)).map((e) => e.uri);
      if (hits.length === 0) throw new Error(noObjectsMessage('files', glob, prefix, entries.map((e) => e.path)));
      const tree = siblingPatterns(glob).map(globToRegExp);
      const nearMisses = nearMissesAmong(hits, entries.filter((e) => tree.some((t) => t.test(e.path))).map((e) => e.uri));
      warnNearMisses(glob, prefix, { files: hits, nearMisses });
      return hits;
    },
  };
}

/** `--input-list`: the list's entries in list order; a pattern filters them. */
async function listContext(input: { list: string; prefix?: string | undefined }, pattern: string | undefined): Promise<Pick<PipelineContext, 'input' | 'files'>> {
  // Local entries (`file://` URLs, paths) become absolute paths, what readers take for local files.
  const uris = (await readInputList(input.list, input.prefix !== undefined ? { prefix: input.prefix } : {})).map((u) => (isS3Uri(u) ? u : localPath(u)));
  if (uris.length === 0) throw new Error(`--input-list ${input.list}: the list has no entries`);
  const prefix = input.prefix === undefined ? undefined : isS3Uri(input.prefix) ? input.prefix.replace(/\/*$/, '/') : `${resolve(input.prefix)}/`;
  const relative = (uri: string): string => (prefix !== undefined && uri.startsWith(prefix) ? uri.slice(prefix.length) : uri);
  return {
    input: input.prefix ?? input.list,
    files(p?: string): string[] {
      const glob = p ?? pattern;
      if (glob === undefined) return [...uris];
      const re = globToRegExp(glob);
      const hits = uris.filter((u) => re.test(relative(u)));
      if (hits.length === 0) throw new Error(`no files in --input-list ${input.list} match ${JSON.stringify(glob)} (it lists ${uris.length}, e.g. ${uris.slice(0, 3).join(', ')})`);
      return hits;
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

/** The output as pipelines see it: an `s3://` URI as given (no trailing slash, so `${ctx.output}/x` joins), else an absolute path. */
function outputLocation(output: string): string {
  return isS3Uri(output) ? output.replace(/\/+$/, '') : resolve(output);
}
