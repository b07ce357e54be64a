import type { RecordBatch } from 'apache-arrow';
import type { PhysicalPlan, PhysicalStage } from '../../plan/physical-plan.ts';
import { addDropped, emptyDropLog } from '../accounting/drop-log.ts';
import { stageById } from '../state/committed.ts';
import { planStepNames, runTask, type QuarantinedDoc } from './run-steps.ts';
import type { QuarantineRecord, TaskUnit, UnitSource } from './execute-task.ts';

/**
 * Adapter from `runTask` (the in-thread task runner) to the executor's commit units: runTask
 * streams, per input unit, drop/quarantine events, the unit's output batch, then an `input` event;
 * everything up to that `input` event is one {@link TaskUnit}, committed (and resumed) as a whole.
 * Step names are unique across the plan, so `stats.json` can tell two uses of one operator apart.
 */
export const runTaskUnits: UnitSource = async function* (plan, stageId, partition, opts) {
  const stage = stageById(plan, stageId);
  const spec = stage.partitions[partition];
  if (!spec) throw new Error(`stage ${stageId} has no task ${partition}`);
  const paths = sourcePaths(plan, stage);
  const events = runTask(stage, spec, {
    stepNames: planStepNames(plan).get(stageId)!,
    batchSize: opts.batchSize,
    skipInputBatches: opts.skipInputBatches,
    poisoned: opts.poisoned,
    heartbeat: opts.heartbeat,
    ...(opts.idle ? { operatorDone: opts.idle } : {}),
    collectDropped: true,
    ...(opts.input ? { input: opts.input } : {}),
  });
  let outputs: RecordBatch[] = [];
  let quarantined: QuarantineRecord[] = [];
  let dropped = emptyDropLog();
  for await (const ev of events) {
    switch (ev.type) {
      case 'batch': outputs.push(ev.batch); break;
      case 'quarantined':
        for (const d of ev.docs) quarantined.push(record(stageId, ev.step, ev.stepName, d, paths));
        break;
      case 'dropped':
        if (ev.rows) addDropped(dropped, stageId, ev.step, ev.stepName, ev.reason, ev.rows);
        break;
      case 'input':
        yield { inputBatches: ev.inputBatches, outputs, quarantined, counters: ev.counters, dropped, ...(ev.overheadMs ? { overheadMs: ev.overheadMs } : {}) };
        outputs = [];
        quarantined = [];
        dropped = emptyDropLog();
        break;
      case 'done': break;
    }
  }
};

function record(stage: string, step: number, stepName: string, d: QuarantinedDoc, paths: readonly string[] | undefined): QuarantineRecord {
  const file = d.file ?? paths?.[d.fileIndex] ?? `#${d.fileIndex}`;
  return { stage, step, stepName, file, pos: d.pos, error: d.error, ...(d.sample !== undefined ? { sample: d.sample } : {}) };
}

/**
 * The sorted input paths `__file` indexes into, for quarantine reports of non-scan stages: those of
 * the one source upstream of the stage. With several sources (a union) an index is ambiguous, so
 * reports then name the file by index.
 */
function sourcePaths(plan: PhysicalPlan, stage: PhysicalStage): readonly string[] | undefined {
  const sources = new Set<readonly string[]>();
  const visit = (s: PhysicalStage): void => {
    const input = s.input;
    if (input.kind === 'scan') sources.add(input.source.paths);
    else if (input.kind === 'wide') visit(stageById(plan, input.stage));
    else for (const id of input.stages) visit(stageById(plan, id));
  };
  visit(stage);
  return sources.size === 1 ? [...sources][0] : undefined;
}
