import { resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { inspectRun } from '../../report/inspect.ts';
import { parseCliOptions, positiveInt } from '../options.ts';

const InspectOptions = z.object({
  droppedBy: z.string().min(1).optional(),
  reason: z.string().min(1).optional(),
  sample: positiveInt('--sample').default(5),
  chars: positiveInt('--chars').default(400),
  seed: z.string().regex(/^\d+$/, 'must be a non-negative integer').transform(Number).optional(),
});

/** `sluice inspect <output dir> [--dropped-by <step>] [--reason r] [--sample N]` */
export function registerInspect(program: Command): void {
  program.command('inspect')
    .description('print sample kept documents, or documents a step dropped with their reasons')
    .argument('<output>', 'output directory of a finished `sluice run`')
    .option('--dropped-by <step>', 'show documents this step dropped (step name as in stats.json, e.g. gopher_quality; "any" for all)')
    .option('--reason <reason>', 'only this drop reason (substring match, e.g. dup_line_frac); implies --dropped-by any')
    .option('--sample <n>', 'documents to show (default 5)')
    .option('--chars <n>', 'characters of text shown per document (default 400)')
    .option('--seed <n>', 'pick a seeded random sample instead of the first documents')
    .action(async (output: string, raw: Record<string, unknown>) => {
      const o = parseCliOptions(InspectOptions, raw);
      process.stdout.write(await inspectRun(resolve(output), {
        ...(o.droppedBy !== undefined ? { droppedBy: o.droppedBy } : {}),
        ...(o.reason !== undefined ? { reason: o.reason } : {}),
        ...(o.seed !== undefined ? { seed: o.seed } : {}),
        sample: o.sample,
        chars: o.chars,
      }));
    });
}
