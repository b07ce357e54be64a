import cliProgress from 'cli-progress';

/** Receives progress from the stage runner; rendering is the reporter's business. */
export interface ProgressReporter {
  stageStarted(stage: string, tasks: number, alreadyDone: number): void;
  /** A task committed a piece (`docs` documents read) or finished (`taskDone`). */
  update(stage: string, docs: number, taskDone: boolean): void;
  stageFinished(stage: string): void;
  /**
   * Work between a stage's tasks that is not a task (dedup bucket and merge phases, a sink's
   * finalize): named `name`, `units` steps of it, `done` already done. Without it the user sees
   * seconds of silence between stages.
   */
  phaseStarted(name: string, units: number, done: number): void;
  /** One more unit of the phase is done. */
  phaseUpdate(name: string): void;
  phaseFinished(name: string): void;
  stop(): void;
}

interface PhaseState {
  units: number;
  done: number;
  startedAt: number;
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)}s`;
const steps = (n: number) => `${n} step${n === 1 ? '' : 's'}`;

interface StageState {
  tasks: number;
  done: number;
  docs: number;
  startedAt: number;
  startDone: number;
}

function rate(s: StageState): { docsPerSec: number; etaSec: number | undefined } {
  const secs = Math.max((Date.now() - s.startedAt) / 1000, 1e-3);
  const docsPerSec = s.docs / secs;
  const ran = s.done - s.startDone;
  const etaSec = ran > 0 ? ((s.tasks - s.done) * secs) / ran : undefined;
  return { docsPerSec, etaSec };
}

/** Bars per stage (partitions done, docs/s, ETA) for an interactive terminal. */
export class TtyProgress implements ProgressReporter {
  private readonly multi: cliProgress.MultiBar;
  private readonly bars = new Map<string, { bar: cliProgress.SingleBar; state: StageState }>();
  private readonly phases = new Map<string, { bar: cliProgress.SingleBar; state: PhaseState }>();

  /** @param stream the terminal to draw on (tests pass a fake one). */
  constructor(stream: NodeJS.WritableStream = process.stderr) {
    this.multi = new cliProgress.MultiBar({
      format: '{stage} [{bar}] {value}/{total} tasks | {docs} docs | {rate} docs/s | ETA {etaText}',
      hideCursor: true,
      clearOnComplete: false,
      stream,
    }, cliProgress.Presets.shades_classic);
  }

  stageStarted(stage: string, tasks: number, alreadyDone: number): void {
    const state: StageState = { tasks, done: alreadyDone, docs: 0, startedAt: Date.now(), startDone: alreadyDone };
    const bar = this.multi.create(tasks, alreadyDone, this.payload(stage, state));
    this.bars.set(stage, { bar, state });
  }

  update(stage: string, docs: number, taskDone: boolean): void {
    const entry = this.bars.get(stage);
    if (!entry) return;
    entry.state.docs += docs;
    if (taskDone) entry.state.done++;
    entry.bar.update(entry.state.done, this.payload(stage, entry.state));
  }

  stageFinished(stage: string): void {
    const entry = this.bars.get(stage);
    if (entry) entry.bar.update(entry.state.done, this.payload(stage, entry.state));
  }

  phaseStarted(name: string, units: number, done: number): void {
    const state: PhaseState = { units, done, startedAt: Date.now() };
    const bar = this.multi.create(units, done, { name, elapsed: seconds(state.startedAt) }, { format: '{name} [{bar}] {value}/{total} | {elapsed}' });
    this.phases.set(name, { bar, state });
  }

  phaseUpdate(name: string): void {
    const entry = this.phases.get(name);
    if (!entry) return;
    entry.state.done++;
    entry.bar.update(entry.state.done, { name, elapsed: seconds(entry.state.startedAt) });
  }

  phaseFinished(name: string): void {
    const entry = this.phases.get(name);
    if (entry) entry.bar.update(entry.state.units, { name, elapsed: seconds(entry.state.startedAt) });
    this.phases.delete(name);
  }

  stop(): void {
    this.multi.stop();
  }

  private payload(stage: string, s: StageState) {
    const { docsPerSec, etaSec } = rate(s);
    return { stage, docs: s.docs, rate: Math.round(docsPerSec), etaText: etaSec === undefined ? '?' : `${Math.round(etaSec)}s` };
  }
}

/** Plain log lines every `intervalMs` (and at each stage's end) for logs and CI. */
export class LineProgress implements ProgressReporter {
  private readonly stages = new Map<string, StageState>();
  private readonly phases = new Map<string, PhaseState>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly write: (line: string) => void = (l) => process.stderr.write(l + '\n'), intervalMs = 10_000) {
    this.timer = setInterval(() => this.print(), intervalMs);
    this.timer.unref();
  }

  stageStarted(stage: string, tasks: number, alreadyDone: number): void {
    this.stages.set(stage, { tasks, done: alreadyDone, docs: 0, startedAt: Date.now(), startDone: alreadyDone });
    this.write(`[sluice] stage ${stage}: ${tasks} tasks` + (alreadyDone ? ` (${alreadyDone} already committed)` : ''));
  }

  update(stage: string, docs: number, taskDone: boolean): void {
    const s = this.stages.get(stage);
    if (!s) return;
    s.docs += docs;
    if (taskDone) s.done++;
  }

  stageFinished(stage: string): void {
    this.line(stage, 'done');
    this.stages.delete(stage);
  }

  phaseStarted(name: string, units: number, done: number): void {
    this.phases.set(name, { units, done, startedAt: Date.now() });
    this.write(`[sluice] ${name}: ${steps(units)}` + (done ? ` (${done} already committed)` : ''));
  }

  phaseUpdate(name: string): void {
    const p = this.phases.get(name);
    if (p) p.done++;
  }

  phaseFinished(name: string): void {
    const p = this.phases.get(name);
    if (!p) return;
    this.write(`[sluice] ${name} done: ${p.units}/${steps(p.units)} in ${seconds(p.startedAt)}`);
    this.phases.delete(name);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private print(): void {
    for (const stage of this.stages.keys()) this.line(stage, 'running');
    for (const [name, p] of this.phases) this.write(`[sluice] ${name} running: ${p.done}/${steps(p.units)}, ${seconds(p.startedAt)}`);
  }

  private line(stage: string, status: string): void {
    const s = this.stages.get(stage);
    if (!s) return;
    const { docsPerSec, etaSec } = rate(s);
    const eta = status === 'running' && etaSec !== undefined ? `, ETA ${Math.round(etaSec)}s` : '';
    this.write(`[sluice] stage ${stage} ${status}: ${s.done}/${s.tasks} tasks, ${s.docs} docs, ${Math.round(docsPerSec)} docs/s${eta}`);
  }
}

/** Reports nothing (library use, tests). */
export const silentProgress: ProgressReporter = {
  stageStarted() {}, update() {}, stageFinished() {}, phaseStarted() {}, phaseUpdate() {}, phaseFinished() {}, stop() {},
};

/** Bars on a TTY, periodic lines otherwise. */
export function defaultProgress(): ProgressReporter {
  return process.stderr.isTTY ? new TtyProgress() : new LineProgress();
}
