import { z } from 'zod';
import { inspectRun } from '../../report/inspect.ts';
import { locationArg, parseCliOptions, positiveInt } from '../options.ts';

const InspectOptions = z.object({
  droppedBy: z.string().min(1).optional(),
  reason: z.string().min(1).optional(),
  sample: positiveInt('--sample').default(5),
  chars: positiveInt('--chars').default(400),
  seed: z.string().regex(/^\d+$/, 'must be a non-negative integer').transform(Number).optional(),
});

/** The `sluice inspect` command's work, loaded only when the command runs (so `--help` stays fast). */
export async function inspectCommand(output: string, raw: Record<string, unknown>): Promise<void> {
  const o = parseCliOptions(InspectOptions, raw);
  process.stdout.write(await inspectRun(locationArg(output), {
    ...(o.droppedBy !== undefined ? { droppedBy: o.droppedBy } : {}),
    ...(o.reason !== undefined ? { reason: o.reason } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    sample: o.sample,
    chars: o.chars,
  }));
}
