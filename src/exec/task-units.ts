import type { UnitSource } from './task-executor.ts';

/**
 * Adapter from `runTask` (src/exec/task.ts, the in-thread task runner) to the executor's commit
 * units. Not wired yet: task.ts had not landed when this was written. The adapter must:
 * call `runTask(stage, partition, opts)` with `opts.input` (non-scan stages), the heartbeat
 * (mapping `ctx.heartbeat(row)` to the row's `__file`/`__pos`), the poisoned documents to
 * quarantine, and skip the first `skipInputBatches` input batches; then group its events into one
 * {@link import('./task-executor.ts').TaskUnit} per input batch.
 */
export const runTaskUnits: UnitSource = () => {
  throw new Error('the runTask adapter (src/exec/task-units.ts) is not wired: src/exec/task.ts has not landed yet');
};
