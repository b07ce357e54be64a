import { resolve } from 'node:path';
import { z } from 'zod';
import { isS3Uri } from '../storage/uri.ts';

/** Turns zod issues into one line per bad option, naming it as the user typed it. */
export function parseCliOptions<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const name = i.path.length ? `--${String(i.path[0]).replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}` : 'options';
      return `  ${name}: ${i.message}`;
    });
    throw new Error(`invalid options:\n${lines.join('\n')}`);
  }
  return result.data;
}

export const keyValues = z.array(z.string()).default([]).transform((list, ctx) => {
  const out: Record<string, string> = {};
  for (const kv of list) {
    const eq = kv.indexOf('=');
    if (eq <= 0) {
      ctx.addIssue({ code: 'custom', message: `expected key=value, got "${kv}"` });
      continue;
    }
    out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
});

/** A positive integer given as a CLI string. */
export const positiveInt = (what: string) =>
  z.string().regex(/^\d+$/, `${what} must be a positive integer`).transform(Number)
    .refine((n) => n >= 1, `${what} must be at least 1`);

/**
 * A location the user typed (`--output`, a run directory): an `s3://` URI as is (without a
 * trailing slash), anything else a local path made absolute, so workers and `sluice task`
 * processes started elsewhere find the same place.
 */
export function locationArg(arg: string): string {
  return isS3Uri(arg) ? arg.replace(/\/+$/, '') : resolve(arg);
}
