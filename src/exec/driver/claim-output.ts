import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { listUnder, readTextAt, statAt } from '../../io/location/file-uri.ts';
import { removeTree } from '../../io/location/remove-tree.ts';
import { isS3Uri, joinUri, localPath } from '../../storage/uri.ts';
import type { PhysicalPlan } from '../../plan/physical-plan.ts';
import type { SinkSpec } from '../../plan/logical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { changedInputs, describeChanges, inputFilesOf, statInputs, type InputFile } from '../graph/input-files.ts';
import { readPlanFileIfAny, writePlanFile, type RunSettings } from '../graph/plan-file.ts';
import type { TaskGraph } from '../graph/task-graph.ts';
import { files, keys, STORE_DIR } from '../state/layout.ts';
import { LOCK_FILE } from './driver-lock.ts';

/** What `run/manifest` records: which plan the output directory belongs to. */
export interface RunManifest {
  fingerprint: string;
  createdAt: string;
}

export interface ClaimOptions {
  outDir: string;
  /** Require an existing run of this plan (`--resume`). */
  resume?: boolean;
  /** Replace a run of another plan (`--overwrite`), deleting only the paths sluice wrote. */
  overwrite?: boolean;
  /** Told the paths `overwrite` is about to delete, before it deletes them. */
  onOverwrite?: (paths: string[]) => void;
}

/** Paths directly under the output directory that every run may write. */
const OWNED = [STORE_DIR, 'documents', 'tokens', 'quarantine', 'dropped', 'logs', 'slurm', 'stats.json', 'report.html', 'plan.json'];

/**
 * Checks the output directory belongs to this run (or is new) and records the fingerprint and
 * `plan.json` (plan, settings, task graph). A directory holding another run is refused with the ways forward, or replaced with
 * `overwrite`; a non-empty directory that holds no run is always refused, since nothing says which
 * of its files are safe to delete.
 */
export async function claimOutput(store: BlobStore, options: ClaimOptions, fingerprint: string, plan: PhysicalPlan, settings: RunSettings, graph: TaskGraph): Promise<void> {
  const out = options.outDir;
  let previous = (await store.has(keys.run))
    ? (JSON.parse(new TextDecoder().decode(await store.getBytes(keys.run))) as RunManifest)
    : undefined;
  if (!previous) {
    if (options.resume) throw new Error(`--resume: ${out} holds no sluice run to resume`);
    if (await holdsFiles(out)) throw new Error(`output directory ${out} is not empty and holds no sluice run; choose an empty or new directory`);
  }
  // The inputs the run was planned on: a resume must read the same bytes, or outputs would mix two versions.
  let inputs: InputFile[] | undefined = previous ? (await readPlanFileIfAny(out))?.inputs : undefined;
  const changed = inputs ? await changedInputs(inputs) : [];
  if (previous && (previous.fingerprint !== fingerprint || changed.length)) {
    if (!options.overwrite || options.resume) {
      if (changed.length) {
        throw new Error(`input files changed since the run in ${out} was planned, so it cannot resume without mixing two versions:\n` +
          `${describeChanges(changed)}\nRestore them, or rerun with --overwrite to start over on the files as they are now.`);
      }
      throw new Error(`${out} holds a run of a different pipeline or configuration ` +
        `(fingerprint ${previous.fingerprint}, this run ${fingerprint}), so this run cannot resume it. ` +
        `To proceed: rerun the same command with --overwrite to delete that run's outputs and start this one, ` +
        `or choose a new --output directory.`);
    }
    const doomed = await ownedPaths(out);
    options.onOverwrite?.(doomed);
    for (const p of doomed) await removeTree(p);
    previous = undefined;
    inputs = undefined;
  }
  if (!isS3Uri(out)) await mkdir(localPath(out), { recursive: true });
  if (!previous) {
    const manifest: RunManifest = { fingerprint, createdAt: new Date().toISOString() };
    await store.put(keys.run, new TextEncoder().encode(JSON.stringify(manifest)));
  }
  await writePlanFile(out, plan, fingerprint, settings, graph, inputs ?? await statInputs(inputFilesOf(plan)));
}

/**
 * The existing paths an earlier run of any plan wrote under `out`: the fixed layout plus the sink
 * directories its `plan.json` names. Sink paths outside `out` are never included: deleting outside
 * the directory the user named would surprise.
 */
async function ownedPaths(out: string): Promise<string[]> {
  const paths = new Set(OWNED.map((n) => joinUri(out, n)));
  const text = await readTextAt(files.plan(out)).catch(() => undefined);
  const plan = text === undefined ? undefined : JSON.parse(text) as { stages?: { output: { kind: string; sink?: SinkSpec } }[] };
  for (const s of plan?.stages ?? []) {
    const sink = s.output.kind === 'sink' ? s.output.sink : undefined;
    if (!sink) continue;
    const documents = sink.format === 'tokens' ? sink.options['documents'] : undefined;
    for (const p of [sink.path, typeof documents === 'string' ? documents : undefined]) {
      if (p !== undefined && inside(out, p)) paths.add(p);
    }
  }
  const existing: string[] = [];
  for (const p of [...paths].sort()) if (await exists(p)) existing.push(p);
  return existing;
}

/**
 * Whether anything is under the output (a directory, or objects under an `s3://` prefix) but the
 * driver lock and `_store`. Without a run manifest, `_store` can only be a claim that failed while
 * writing that manifest (a full disk: the blob store's directories exist, the manifest does not),
 * and the failed run told the user to rerun the same command; the claim only adds to it.
 */
async function holdsFiles(out: string): Promise<boolean> {
  const ours = (name: string) => name === LOCK_FILE || name === STORE_DIR || name.startsWith(`${STORE_DIR}/`);
  if (!isS3Uri(out)) return (await readdir(localPath(out)).catch(() => [] as string[])).some((n) => !ours(n));
  return (await listUnder(out)).some((e) => !ours(e.path));
}

async function exists(uri: string): Promise<boolean> {
  if (!isS3Uri(uri)) return existsSync(uri);
  return (await statAt(uri)) !== undefined || (await listUnder(uri)).length > 0;
}

function inside(dir: string, path: string): boolean {
  if (isS3Uri(dir) || isS3Uri(path)) return path.startsWith(dir.replace(/\/+$/, '') + '/');
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
