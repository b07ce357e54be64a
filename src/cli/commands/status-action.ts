import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { runStatus, type RunStatus } from '../../exec/driver/run-status.ts';
import { parseCliOptions } from '../options.ts';

const StatusOptions = z.object({
  wait: z.boolean().default(false),
  timeout: z.string().regex(/^\d+(\.\d+)?$/, 'must be a number of seconds').transform(Number).optional(),
  json: z.boolean().default(false),
});

/** Exit codes of `--wait`: the run failed for good, or the timeout passed first. */
const FAILED = 1, TIMED_OUT = 3;
const POLL_MS = 1000;

export async function statusCommand(output: string, raw: Record<string, unknown>): Promise<void> {
  const o = parseCliOptions(StatusOptions, raw);
  const outDir = resolve(output);
  const deadline = o.timeout === undefined ? Infinity : Date.now() + o.timeout * 1000;
  let status = await runStatus(outDir);
  while (o.wait && status.state !== 'complete' && status.state !== 'failed' && Date.now() < deadline) {
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
    status = await runStatus(outDir);
  }
  process.stdout.write(o.json ? JSON.stringify(status, null, 2) + '\n' : describe(status));
  if (!o.wait) return;
  if (status.state === 'failed') process.exitCode = FAILED;
  else if (status.state !== 'complete') process.exitCode = TIMED_OUT;
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
