import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { existsSync } from 'node:fs';
import { runStatus, type RunStatus } from '../../exec/driver/run-status.ts';
import { slurmView } from '../../exec/driver/slurm-executor.ts';
import { submissionsFile } from '../../exec/slurm/submissions.ts';
import { files } from '../../exec/state/layout.ts';
import { isS3Uri } from '../../storage/uri.ts';
import { locationArg, parseCliOptions } from '../options.ts';

const StatusOptions = z.object({
  wait: z.boolean().default(false),
  timeout: z.string().regex(/^\d+(\.\d+)?$/, 'must be a number of seconds').transform(Number).optional(),
  json: z.boolean().default(false),
  slurmDir: z.string().optional(),
});

/** Exit codes of `--wait`: the run failed for good, or the timeout passed first. */
const FAILED = 1, TIMED_OUT = 3;
const POLL_MS = 1000;

export async function statusCommand(output: string, raw: Record<string, unknown>): Promise<void> {
  const o = parseCliOptions(StatusOptions, raw);
  const outDir = locationArg(output);
  const deadline = o.timeout === undefined ? Infinity : Date.now() + o.timeout * 1000;
  // A run submitted to Slurm: ask Slurm about the tasks that are not committed.
  const scriptDir = o.slurmDir ? resolve(o.slurmDir) : isS3Uri(outDir) ? undefined : files.slurm(outDir);
  const scheduler = scriptDir !== undefined && existsSync(submissionsFile(scriptDir)) ? (tasks: Parameters<typeof slurmView>[1]) => slurmView(scriptDir, tasks) : undefined;
  const status = () => runStatus(outDir, scheduler);
  let s = await status();
  while (o.wait && s.state !== 'complete' && s.state !== 'failed' && Date.now() < deadline) {
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
    s = await status();
  }
  process.stdout.write(o.json ? JSON.stringify(s, null, 2) + '\n' : describe(s));
  if (!o.wait) return;
  if (s.state === 'failed') process.exitCode = FAILED;
  else if (s.state !== 'complete') process.exitCode = TIMED_OUT;
}

function describe(s: RunStatus): string {
  const lines = [`run ${s.output} (plan ${s.fingerprint}): ${s.state}`];
  const width = Math.max(5, ...s.groups.map((g) => g.id.length));
  lines.push(`  ${'group'.padEnd(width)}  tasks  committed  running  failed  pending`);
  for (const g of s.groups) {
    lines.push(`  ${g.id.padEnd(width)}  ${pad(g.tasks, 5)}  ${pad(g.committed, 9)}  ${pad(g.running, 7)}  ${pad(g.failed, 6)}  ${pad(g.pending, 7)}`);
  }
  for (const f of s.failed) {
    lines.push(`failed: ${f.task}${f.job ? ` (job ${f.job})` : ''}: ${f.error}`);
    if (f.log) lines.push(`  log: ${f.log}`);
    for (const l of f.logTail ?? []) lines.push(`  | ${l}`);
  }
  if (s.blocked.length) {
    const names = s.blocked.slice(0, 8).map((b) => b.task).join(', ') + (s.blocked.length > 8 ? `, … (${s.blocked.length})` : '');
    lines.push(`blocked by failed tasks: ${names}; fix the cause and rerun the same \`sluice run\` command to resubmit what is not committed`);
  }
  lines.push(`documents read: ${s.documents.in} in ${s.documents.seconds} s (${s.documents.perSecond}/s)`);
  return lines.join('\n') + '\n';
}

const pad = (n: number, w: number): string => String(n).padStart(w);
