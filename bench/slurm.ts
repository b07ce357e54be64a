import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * What running task by task costs. On the fixture WARCs with the refinedweb recipe:
 * - `sluice task` on a committed task (process start, plan.json, the store's commit check): the
 *   fixed cost a scheduler pays per task;
 * - the same run as separate `sluice task` processes in graph order vs one `sluice run --workers 1`
 *   (same work, one process): the per-task overhead (process and worker start, operator init, commit);
 * - the whole run submitted to the local test Slurm (`sluice run --executor slurm` + `status --wait`)
 *   vs `sluice run --workers 2`, in wall time.
 * Needs the test cluster for the last line (`.ci/slurm/start.sh`); prints JSON lines.
 */
const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/sluice.js');
const ARGS = ['run', join(ROOT, 'pipelines/refinedweb.ts'), '--input', join(ROOT, 'fixtures/warc')];

function timed(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`sluice ${args.join(' ')} exited ${r.status}:\n${r.stdout}${r.stderr}`);
  return performance.now() - t;
}

export default async function bench(): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'sluice-bench-slurm-'));
  try {
    const pooled = join(tmp, 'pooled');
    const oneProcessMs = timed([...ARGS, '--output', pooled, '--workers', '1']);
    const tasks = join(tmp, 'tasks');
    timed([...ARGS, '--output', tasks, '--plan-only']);
    const ids = (JSON.parse(readFileSync(join(tasks, 'plan.json'), 'utf8')) as { tasks: { id: string; kind: string }[] }).tasks;
    const perKind: Record<string, number[]> = {};
    for (const t of ids) (perKind[t.kind] ??= []).push(timed(['task', tasks, t.id]));
    const taskByTaskMs = Object.values(perKind).flat().reduce((a, b) => a + b, 0);
    const committedMs = Array.from({ length: 5 }, () => timed(['task', tasks, ids[0]!.id])).sort((a, b) => a - b)[2]!;
    console.log(JSON.stringify({
      bench: 'slurm', case: 'task-overhead', tasks: ids.length,
      committedTaskMs: Math.round(committedMs),
      meanTaskMsByKind: Object.fromEntries(Object.entries(perKind).map(([k, v]) => [k, Math.round(v.reduce((a, b) => a + b, 0) / v.length)])),
      taskByTaskMs: Math.round(taskByTaskMs), oneProcessMs: Math.round(oneProcessMs),
      overheadPerTaskMs: Math.round((taskByTaskMs - oneProcessMs) / ids.length),
    }));
    const sbatch = spawnSync('bash', ['-c', 'command -v sbatch'], { encoding: 'utf8' }).status === 0;
    if (!sbatch) {
      console.log(JSON.stringify({ bench: 'slurm', case: 'fixture-run', skipped: 'sbatch not found: run .ci/slurm/start.sh' }));
      return;
    }
    const env = { ...process.env };
    for (const m of execFileSync('bash', [join(ROOT, '.ci/slurm/start.sh')], { encoding: 'utf8' }).matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]!] = m[2]!;
    const localMs = timed([...ARGS, '--output', join(tmp, 'local'), '--workers', '2']);
    const t = performance.now();
    timed([...ARGS, '--output', join(tmp, 'slurm'), '--executor', 'slurm'], env);
    timed(['status', join(tmp, 'slurm'), '--wait', '--timeout', '900'], env);
    const slurmMs = performance.now() - t;
    console.log(JSON.stringify({
      bench: 'slurm', case: 'fixture-run', localWorkers2Ms: Math.round(localMs), slurmMs: Math.round(slurmMs),
      ratio: Math.round((slurmMs / localMs) * 100) / 100,
    }));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
