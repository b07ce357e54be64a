import { Piscina } from 'piscina';
import type { PhysicalPlan } from '../../plan/physical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { openStoreAt } from '../state/run-store.ts';
// Registers every built-in operator by name: plans name operators, workers look them up.
import '../../ops/index.ts';
import { Heartbeat } from './heartbeat.ts';
import { importModule } from './module-loader.ts';
import { toIpc } from '../../arrow/ipc.ts';
import { readPieces, executeTask, type TaskRequest, type TaskSummary } from '../task/execute-task.ts';
import { runTaskUnits } from '../task/commit-units.ts';
import { readCheckpoint } from '../state/checkpoint.ts';
import { keys } from '../state/layout.ts';
import { stageById } from '../state/committed.ts';
import { detachOneArrayBuffer } from './detach-early.ts';

detachOneArrayBuffer();

/** What the pool sends a thread for one task: plain data (the plan as JSON-able objects), the
 *  store's URI (a directory or `s3://` prefix: threads open their own), and the heartbeat buffer. */
export interface WorkerTask {
  req: TaskRequest;
  storeUri: string;
  chunkSize: number;
  heartbeat: SharedArrayBuffer;
}

export interface WorkerResult extends TaskSummary {
  /** Output of a `result` stage as Arrow IPC bytes (moved, not copied). */
  ipc?: Uint8Array;
}

const loaded = new Set<string>();

/** Imports the plan's modules (pipeline scripts defining operators) once per worker thread. */
export async function loadModules(plan: PhysicalPlan): Promise<void> {
  for (const m of plan.modules) {
    if (loaded.has(m)) continue;
    await importModule(m);
    loaded.add(m);
  }
}

/**
 * The one task entry: runs one task in this thread against `store`, resuming from its last commit.
 * Pool threads call it through the default export; `collect()` calls it directly.
 */
export async function runWorkerTask(req: TaskRequest, store: BlobStore, heartbeat: SharedArrayBuffer, withResult: boolean): Promise<WorkerResult> {
  await loadModules(req.plan);
  const hb = new Heartbeat(heartbeat);
  let docs = 0;
  hb.idle(0);
  const summary = await executeTask(req, store, runTaskUnits, {
    heartbeat: (_row, file, pos) => hb.beat(file, pos),
    idle: () => hb.idle(docs),
    onPiece: (n) => { docs += n; hb.idle(docs); },
  });
  const stage = stageById(req.plan, req.stage);
  if (!withResult || stage.output.kind !== 'result') return summary;
  const ck = await readCheckpoint(store, keys.committed(req.stage, req.partition));
  const batches = ck ? await readPieces(store, req.stage, req.partition, ck) : [];
  return batches.length ? { ...summary, ipc: toIpc(batches) } : summary;
}

/** piscina entry: the result's IPC bytes go back in the transfer list. */
export default async function (task: WorkerTask): Promise<WorkerResult> {
  const store = await openStoreAt(task.storeUri, task.chunkSize);
  const result = await runWorkerTask(task.req, store, task.heartbeat, true);
  const ipc = result.ipc;
  if (!ipc) return result;
  // piscina looks for these symbols on the returned object only, not on nested values.
  return {
    get [Piscina.transferableSymbol]() { return [ipc.buffer]; },
    get [Piscina.valueSymbol]() { return result; },
  } as unknown as WorkerResult;
}
