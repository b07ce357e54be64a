import { z } from 'zod';
import { lineLimitsSchema } from '../limits.ts';

/**
 * Options of the JSON Lines source (`readJsonl(paths, options)` → `SourceSpec.options`): the limits
 * that keep a hostile file (a gigabyte-long line, a gzip bomb) from exhausting a worker. What they
 * cut is quarantined with the reason and the option to raise.
 */
export const jsonlOptionsSchema = z.strictObject({ ...lineLimitsSchema });

export type JsonlOptions = z.output<typeof jsonlOptionsSchema>;

/** Validates reader options with a message naming the source, for `SourceSpec.options`. */
export function parseJsonlOptions(options: unknown): JsonlOptions {
  const r = jsonlOptionsSchema.safeParse(options ?? {});
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ');
    throw new Error(`invalid options for the jsonl source: ${issues}`);
  }
  return r.data;
}
