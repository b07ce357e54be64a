import type { StageProgress } from '../exec/driver/interrupted.ts';

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof EXIT_CODES;

/** What a stopped run tells the user; `exitCode` is the shell convention, 128 + the signal number. */
export interface StopHandle {
  signal: AbortSignal;
  /** The signal that stopped the run, once one has. */
  received(): StopSignal | undefined;
  /** Removes the handlers (the default handlers return: a later Ctrl-C kills at once). */
  dispose(): void;
}

/**
 * Turns SIGINT and SIGTERM into a stop request for the driver instead of an instant exit, so the
 * run can say what it committed and how to resume. A second signal exits at once (commits are
 * atomic, so even that loses no committed work) unless `repeatExits` is false: Slurm signals every
 * process of a cancelled element and the element's script signals its task process too, so there a
 * repeat is the same request, and Slurm's SIGKILL after `KillWait` is the hard stop.
 */
export function handleStopSignals(write: (text: string) => void, { repeatExits = true }: { repeatExits?: boolean } = {}): StopHandle {
  const abort = new AbortController();
  let got: StopSignal | undefined;
  const on = (sig: StopSignal) => () => {
    if (got) {
      if (repeatExits) process.exit(EXIT_CODES[sig]);
      return;
    }
    got = sig;
    write(`\nsluice: ${sig} received, stopping: no new tasks, tasks in flight abandoned${repeatExits ? ' (send it again to exit at once)' : ''}\n`);
    abort.abort();
  };
  const handlers = { SIGINT: on('SIGINT'), SIGTERM: on('SIGTERM') };
  for (const [sig, h] of Object.entries(handlers)) process.on(sig, h);
  return {
    signal: abort.signal,
    received: () => got,
    dispose: () => { for (const [sig, h] of Object.entries(handlers)) process.off(sig, h); },
  };
}

/** The exit code for a run stopped by `sig`. */
export const stopExitCode = (sig: StopSignal): number => EXIT_CODES[sig];

/** The message a stopped run ends with: per stage, committed tasks; then the command that resumes. */
export function stoppedMessage(sig: StopSignal, stages: StageProgress[], argv: readonly string[]): string {
  const width = Math.max(...stages.map((s) => s.stage.length));
  const lines = stages.map((s) => `  ${s.stage.padEnd(width)}  ${s.committed}/${s.tasks} tasks committed`);
  return `sluice: stopped by ${sig}. Committed so far:\n${lines.join('\n')}\n` +
    `Resume with the same command (rerunning into the same output continues the run):\n  ${resumeCommand(argv)}\n`;
}

/**
 * The message of a run whose stop arrived after its last task committed: the outputs and stats are
 * complete; resuming finds the run complete (and writes the report if it is missing).
 */
export function stoppedCompleteMessage(sig: StopSignal, reportWritten: boolean, argv: readonly string[]): string {
  return `sluice: stopped by ${sig} after every task had committed: the outputs and stats are complete` +
    `${reportWritten ? '' : ', the report is not written'}.\n` +
    `Resume with the same command (it finds the run complete${reportWritten ? '' : ' and writes the report'}):\n  ${resumeCommand(argv)}\n`;
}

/** This invocation's command line, quoted for a POSIX shell. */
function resumeCommand(argv: readonly string[]): string {
  // npx sets npm_command=exec; without it `sluice` is on the PATH (a global or linked install).
  const prefix = process.env.npm_command === 'exec' ? 'npx sluice' : 'sluice';
  return [prefix, ...argv.map(quote)].join(' ');
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
