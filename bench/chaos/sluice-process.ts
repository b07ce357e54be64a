import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The repository root: the runner drives the built CLI (`bin/sluice.js` → `dist/`). */
export const ROOT = resolve(import.meta.dirname, '../..');

/** How one `sluice` process ended. */
export interface SluiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `node bin/sluice.js <args>` with `env` added to this process's environment. */
export function runSluice(args: readonly string[], env: Record<string, string> = {}): Promise<SluiceExit> {
  const t0 = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/sluice.js'), ...args], {
      cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr, ms: performance.now() - t0 }));
  });
}

/** A pipeline run the campaigns repeat: the same command every time, only the output differs. */
export interface PipelineCase {
  /** Short name for reports. */
  name: string;
  pipeline: string;
  input: string;
  /** Further `sluice run` flags (workers, batch and task sizes, options): output-shaping ones must not change between runs. */
  flags: string[];
}

/** The `sluice run` arguments of `c` into `out`. */
export const runArgs = (c: PipelineCase, out: string): string[] => ['run', c.pipeline, '--input', c.input, '--output', out, ...c.flags];

/** A short description of how a process ended, for failure messages. */
export function describeExit(e: SluiceExit): string {
  const tail = (s: string) => s.trim().split('\n').slice(-6).join('\n    ');
  return `exit ${e.code ?? e.signal}\n  stderr:\n    ${tail(e.stderr)}\n  stdout:\n    ${tail(e.stdout)}`;
}
