import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { splitCorpus, writeCorpus } from './pipeline/warc-input.ts';

/**
 * What running task by task costs, with the refinedweb recipe on the fixture WARCs, or on
 * BENCH_SLURM_MB MB cut from the shared crawl excerpts (see pipeline/warc-input.ts). CPU is the
 * machine's busy time over the case (/proc/stat: every process, Slurm's daemons included).
 * - `sluice task` on a committed task (process start, plan.json, the store's commit check): the
 *   fixed cost a scheduler pays per process;
 * - the same run as separate `sluice task` processes in graph order, and as one `sluice task`
 *   process given every id in graph order (what an array element does with its tasks), vs one
 *   `sluice run --workers 1` (same work, one process): the cost per process;
 * - the whole run submitted to the local test Slurm (`sluice run --executor slurm` + `status
 *   --wait`), by default (a wave spread over one element per CPU) and with one task per element
 *   (`--slurm-tasks-per-element 1`, a process per task), vs `sluice run --workers 2`.
 * Needs the test cluster for the last case (`.ci/slurm/start.sh`); prints JSON lines.
 */
const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/sluice.js');
const MB = Number(process.env.BENCH_SLURM_MB ?? 0);

/** This machine's busy CPU time so far, in seconds (user + nice + system + irq + softirq). */
function machineCpuS(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return (f[0]! + f[1]! + f[2]! + f[5]! + f[6]!) / 100;
}

interface Timed { wallMs: number; cpuS: number }

function measure(run: () => void): Timed {
  const t = performance.now(), c = machineCpuS();
  run();
  return { wallMs: Math.round(performance.now() - t), cpuS: +(machineCpuS() - c).toFixed(1) };
}

function sluice(args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`sluice ${args.join(' ')} exited ${r.status}:\n${r.stdout}${r.stderr}`);
}

async function input(tmp: string): Promise<string> {
  if (MB <= 0) return join(ROOT, 'fixtures/warc');
  const corpus = await writeCorpus(join(tmp, 'corpus'), MB);
  const parts = await splitCorpus(corpus.path, join(tmp, 'parts'), Math.max(1, Math.round(corpus.bytes / (MB * 1e6))));
  await rm(join(tmp, 'corpus'), { recursive: true, force: true });
  for (const p of parts.slice(1)) await rm(p);
  return dirname(parts[0]!);
}

export default async function bench(): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'sluice-bench-slurm-'));
  try {
    const ARGS = ['run', join(ROOT, 'pipelines/refinedweb.ts'), '--input', await input(tmp)];
    const pooled = measure(() => sluice([...ARGS, '--output', join(tmp, 'pooled'), '--workers', '1']));
    const plan = (out: string) => {
      sluice([...ARGS, '--output', out, '--plan-only']);
      return (JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')) as { tasks: { id: string; kind: string }[] }).tasks;
    };
    const tasks = join(tmp, 'tasks');
    const ids = plan(tasks);
    const perKind: Record<string, number[]> = {};
    const byTask = measure(() => { for (const t of ids) (perKind[t.kind] ??= []).push(measure(() => sluice(['task', tasks, t.id])).wallMs); });
    const committedMs = Array.from({ length: 5 }, () => measure(() => sluice(['task', tasks, ids[0]!.id])).wallMs).sort((a, b) => a - b)[2]!;
    const element = join(tmp, 'element');
    plan(element);
    const oneProcess = measure(() => sluice(['task', element, ...ids.map((t) => t.id)]));
    console.log(JSON.stringify({
      bench: 'slurm', case: 'task-overhead', inputMb: MB > 0 ? MB : 'fixtures/warc', tasks: ids.length,
      committedTaskMs: committedMs,
      meanTaskMsByKind: Object.fromEntries(Object.entries(perKind).map(([k, v]) => [k, Math.round(v.reduce((a, b) => a + b, 0) / v.length)])),
      runWorkers1: pooled, processPerTask: byTask, oneTaskProcess: oneProcess,
      overheadPerTaskMs: Math.round((byTask.wallMs - pooled.wallMs) / ids.length),
      cpuProcessPerTaskVsRun: +(byTask.cpuS / pooled.cpuS).toFixed(2), cpuOneTaskProcessVsRun: +(oneProcess.cpuS / pooled.cpuS).toFixed(2),
    }));
    const sbatch = spawnSync('bash', ['-c', 'command -v sbatch'], { encoding: 'utf8' }).status === 0;
    if (!sbatch) {
      console.log(JSON.stringify({ bench: 'slurm', case: 'slurm-run', skipped: 'sbatch not found: run .ci/slurm/start.sh' }));
      return;
    }
    const env = { ...process.env };
    for (const m of execFileSync('bash', [join(ROOT, '.ci/slurm/start.sh')], { encoding: 'utf8' }).matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]!] = m[2]!;
    const local = measure(() => sluice([...ARGS, '--output', join(tmp, 'local'), '--workers', '2']));
    const onSlurm = (name: string, extra: string[]) => measure(() => {
      sluice([...ARGS, '--output', join(tmp, name), '--executor', 'slurm', ...extra], env);
      sluice(['status', join(tmp, name), '--wait', '--timeout', '1800'], env);
    });
    const spread = onSlurm('slurm', []);
    const perTask = onSlurm('slurm-per-task', ['--slurm-tasks-per-element', '1']);
    console.log(JSON.stringify({
      bench: 'slurm', case: 'slurm-run', inputMb: MB > 0 ? MB : 'fixtures/warc', localWorkers2: local, slurmDefault: spread, slurmTaskPerElement: perTask,
      wallDefaultVsLocal: +(spread.wallMs / local.wallMs).toFixed(2), cpuDefaultVsLocal: +(spread.cpuS / local.cpuS).toFixed(2),
      wallTaskPerElementVsDefault: +(perTask.wallMs / spread.wallMs).toFixed(2), cpuTaskPerElementVsDefault: +(perTask.cpuS / spread.cpuS).toFixed(2),
    }));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
