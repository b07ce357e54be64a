/**
 * A task's live state, shared between its worker and the driver through a SharedArrayBuffer:
 * the driver's watchdog and progress display read it without any message passing.
 */
const LAST_BEAT = 0;
const DOC_FILE = 1;
const DOC_POS = 2;
const IN_DOC = 3;
const DOCS = 4;
const SLOTS = 5;

export class Heartbeat {
  readonly view: Float64Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(SLOTS * 8)) {
    this.view = new Float64Array(buffer);
  }

  /** The worker is about to process document (`file`, `pos`) in an operator. */
  beat(docFile: number, docPos: number): void {
    const v = this.view;
    v[LAST_BEAT] = Date.now();
    v[DOC_FILE] = docFile;
    v[DOC_POS] = docPos;
    v[IN_DOC] = 1;
  }

  /** The worker is between documents (batch boundaries): nothing can be blamed on one document. */
  idle(docsRead: number): void {
    const v = this.view;
    v[LAST_BEAT] = Date.now();
    v[IN_DOC] = 0;
    v[DOCS] = docsRead;
  }

  /** The document being processed for longer than `limitMs`, if any. */
  overdue(limitMs: number, now = Date.now()): { file: number; pos: number; ms: number } | undefined {
    const v = this.view;
    if (v[IN_DOC] !== 1 || !v[LAST_BEAT]) return undefined;
    const ms = now - v[LAST_BEAT]!;
    return ms > limitMs ? { file: v[DOC_FILE]!, pos: v[DOC_POS]!, ms } : undefined;
  }

  /** Documents the task has read so far (for progress). */
  docs(): number {
    return this.view[DOCS]!;
  }
}
