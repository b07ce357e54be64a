import { resolve } from 'node:path';
import { z } from 'zod';
import { isS3Uri } from '../../storage/uri.ts';
import { verifyRun, type VerifyReport } from '../../exec/driver/verify-run.ts';
import { parseCliOptions } from '../options.ts';

const VerifyOptions = z.object({
  json: z.boolean().default(false),
});

/** Exit code when anything is damaged. */
const DAMAGED = 1;

export async function verifyCommand(output: string, raw: Record<string, unknown>): Promise<void> {
  const o = parseCliOptions(VerifyOptions, raw);
  const report = await verifyRun(isS3Uri(output) ? output : resolve(output));
  process.stdout.write(o.json ? JSON.stringify(report, null, 2) + '\n' : describe(report));
  if (!report.ok) process.exitCode = DAMAGED;
}

function describe(r: VerifyReport): string {
  const mb = (n: number) => (n / 1e6).toFixed(1);
  const lines = [`verified ${r.output}: ${r.blobs.checked} blobs (${mb(r.blobs.bytes)} MB) and ${r.files.checked} output files (${mb(r.files.bytes)} MB) match`];
  if (r.ok) return lines.join('\n') + '\n';
  lines[0] = `verify ${r.output}: ${r.problems.length} damaged (${r.blobs.checked} blobs and ${r.files.checked} output files match)`;
  for (const p of r.problems) lines.push(`${p.problem} ${p.kind} ${p.name}${p.task !== undefined ? ` (task ${p.task})` : ''}: ${p.detail}`);
  if (r.redo.length) lines.push(`rerun the same \`sluice run\` command to redo ${r.redo.length === 1 ? 'task' : 'tasks'} ${r.redo.join(', ')}`);
  if (r.problems.some((p) => p.task === undefined && !p.name.startsWith('graph/'))) {
    lines.push('damage no task can redo (the run manifest): start the run over with --overwrite');
  }
  return lines.join('\n') + '\n';
}
