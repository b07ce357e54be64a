import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { BucketTask } from './bucket-worker.ts';
import { FROM_SOURCE } from './module-loader.ts';
import type { WorkerTask } from './worker.ts';
// Before any thread spawns: the crash-injection counter (tests only) is shared with the workers.
import '../state/test-hooks.ts';

export interface PoolOptions {
  workers: number;
  /** Heap cap per worker in MB; a worker over it dies with ERR_WORKER_OUT_OF_MEMORY and its task is retried. */
  maxOldGenerationSizeMb?: number;
}

/**
 * One long-lived pool per run: up to `workers` threads, started by the first tasks and never idled
 * out, so threads (and the operators' per-worker `init` state: models, tokenizers) live for the
 * whole run. None is started before a task needs it: a resumed run with no task left for the pool
 * would otherwise destroy threads still loading their modules, which Node 20 can abort on
 * (SIGABRT in the module loader, seen in the chaos tests). The queue is bounded by the driver,
 * which never has more than `workers` tasks in flight.
 */
export function createPool(options: PoolOptions): Piscina<WorkerTask | BucketTask, unknown> {
  // Only a list without tsx's flags is passed explicitly: an explicit `execArgv` holding a V8 flag
  // (`node --max-old-space-size=… sluice run`) makes every thread fail to start
  // (ERR_WORKER_INVALID_EXEC_ARGV), while inheriting takes such flags, which are process-wide anyway.
  const execArgv = withoutTsxFlags(process.execArgv);
  return new Piscina<WorkerTask | BucketTask, unknown>({
    filename: workerEntry('worker'),
    minThreads: 0,
    maxThreads: options.workers,
    idleTimeout: 2 ** 31 - 1,
    maxQueue: options.workers,
    ...(execArgv.length < process.execArgv.length ? { execArgv } : {}),
    ...(options.maxOldGenerationSizeMb ? { resourceLimits: { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb } } : {}),
  });
}

/**
 * A pool thread's entry module. Compiled, it is the worker's bundle entry, found from the package
 * root (this module's code sits in a shared chunk); from sources, an `.mjs` shim beside this file
 * registers tsx in the thread first (threads do not inherit the parent's loader).
 */
export function workerEntry(name: 'worker' | 'bucket-worker'): string {
  if (FROM_SOURCE) return new URL(`./${name}-entry.mjs`, import.meta.url).href;
  const root = dirname(createRequire(import.meta.url).resolve('sluice/package.json'));
  return pathToFileURL(join(root, 'dist/exec/pool', `${name}.js`)).href;
}

const LOADER_FLAGS = new Set(['--require', '-r', '--import', '--loader', '--experimental-loader']);

/**
 * The driver's node flags minus tsx's loader flags (present when the driver runs under `tsx`):
 * workers inherit `execArgv`, and an inherited tsx makes piscina's first `require()` of the entry
 * succeed through tsx's CJS transform, compiling the whole worker graph a second time with
 * esbuild (measured: +0.3 s CPU per worker). `worker-entry.mjs` registers tsx itself.
 */
export function withoutTsxFlags(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    if (eq > 0 && LOADER_FLAGS.has(a.slice(0, eq)) && isTsx(a.slice(eq + 1))) continue;
    if (LOADER_FLAGS.has(a) && isTsx(argv[i + 1] ?? '')) { i++; continue; }
    out.push(a);
  }
  return out;
}

function isTsx(spec: string): boolean {
  return spec === 'tsx' || spec.startsWith('tsx/') || /[\\/]node_modules[\\/]tsx[\\/]/.test(spec);
}
