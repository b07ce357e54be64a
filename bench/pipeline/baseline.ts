import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * A built checkout of this repository at `rev`, for measuring an older tree in the same run as the
 * current one: the shared host's speed drifts by more than the changes being measured (the same
 * run has taken 15 and 22 CPU-seconds within the hour), so only a ratio against a baseline run
 * beside it says what the code changed. Cloned from the local repository into `node_modules/`
 * (where the minhash bench keeps its bundle too), installed from npm's cache when it can be, built
 * once and reused by later runs; a failed preparation leaves nothing behind.
 */
export function builtBaseline(rev: string): string {
  let commit: string;
  try {
    // A branch name moves: the cache is keyed by the commit it names today.
    commit = execFileSync('git', ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`baseline ${rev}: not a commit of this repository`);
  }
  const dir = join(ROOT, 'node_modules', `.cache-sluice-baseline-${commit}`);
  if (existsSync(join(dir, '.built'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  const run = (cmd: string, args: string[], cwd = dir) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    run('git', ['clone', '--quiet', '--no-checkout', ROOT, dir], ROOT);
    run('git', ['checkout', '--quiet', commit]);
    // `npm ci` builds a tree that has a `prepare` script; older trees are built here.
    run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund']);
    if (!existsSync(join(dir, 'dist'))) run('npm', ['run', 'build']);
    writeFileSync(join(dir, '.built'), `${commit}\n`);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`baseline ${rev}: could not check out, install and build it (${(e as Error).message})`);
  }
  return dir;
}
