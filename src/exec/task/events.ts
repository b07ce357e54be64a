import type { RecordBatch } from 'apache-arrow';
import type { Overheads, StepCounters } from '../accounting/counters.ts';

/** A document removed from the run because it could not be processed, with where it came from. */
export interface QuarantinedDoc {
  /** Index of the input file in the source's sorted paths (`__file`), -1 when unknown. */
  fileIndex: number;
  /** Input file path when the stage knows it (scan stages), else undefined. */
  file?: string;
  /** `__pos` of the document: byte offset or row number in its file. */
  pos: number;
  error: string;
  /** A prefix of the raw record, for unreadable input. */
  sample?: string;
}

/**
 * What `runTask` streams, in this order for every input unit (one reader item, or one input batch
 * of a non-scan stage): `dropped`/`quarantined` events as steps produce them, then one `batch`
 * with the unit's output rows (possibly empty: it still carries the schema), then `input`.
 * After the last unit comes `done`.
 *
 * Step indices count the task's steps as named by `stageStepNames`: for scan stages step 0 is
 * `scan`, followed by `limit` when the scan carries a limit, then the
 * stage's fused steps.
 */
export type TaskEvent =
  /** Output rows of the task, in input order. */
  | { type: 'batch'; batch: RecordBatch }
  /**
   * Rows a step dropped with a reason (`filter`, `limit`, an operator's reason, or a reader's skip
   * reason). `rows` holds the dropped rows (as the step saw them) only with `collectDropped`.
   */
  | { type: 'dropped'; step: number; stepName: string; reason: string; count: number; rows?: RecordBatch }
  /** Documents quarantined by a step (bad input at `scan`, an operator's verdict, or an exception). */
  | { type: 'quarantined'; step: number; stepName: string; docs: QuarantinedDoc[] }
  /**
   * An input unit is fully processed. `inputBatches` counts units consumed so far (including any
   * skipped by `skipInputBatches`): the resume position. `counters` are this unit's deltas;
   * `overheadMs` the unit's work outside the steps (`stage input`, `operator init`; see `Overheads`).
   */
  | { type: 'input'; inputBatches: number; counters: StepCounters[]; overheadMs?: Overheads }
  /** The task finished; `counters` are the totals over all processed units. */
  | { type: 'done'; counters: StepCounters[] };

export type { StepCounters };
