import { z } from 'zod';
import type { PipelineInput } from './pipeline-module.ts';

/**
 * `--input`, `--input-list` and `--input-prefix`, shared by `run` and `explain`: a run reads either
 * a directory / `s3://` prefix or an input list (a local or `s3://` file, optionally gzipped, one
 * entry per line; relative entries are keys under `--input-prefix`).
 */
export const InputFlags = z.object({
  input: z.string().min(1, 'is empty').optional(),
  inputList: z.string().min(1, 'is empty').optional(),
  inputPrefix: z.string().min(1, 'is empty').optional(),
});

type InputFlagValues = z.output<typeof InputFlags>;

/** Refinements of {@link InputFlags} for the command's object schema: exactly one source, and a prefix only with a list. */
export function checkInputFlags(o: InputFlagValues, ctx: z.RefinementCtx): void {
  if (o.input !== undefined && o.inputList !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['input'], message: 'and --input-list are mutually exclusive: give a directory or prefix, or a list of inputs' });
  } else if (o.input === undefined && o.inputList === undefined) {
    ctx.addIssue({ code: 'custom', path: ['input'], message: 'is required (or --input-list)' });
  }
  if (o.inputPrefix !== undefined && o.inputList === undefined) {
    ctx.addIssue({ code: 'custom', path: ['inputPrefix'], message: 'needs --input-list (its relative entries are keys under the prefix)' });
  }
}

/** The pipeline input the flags name (after {@link checkInputFlags}). */
export function pipelineInputOf(o: InputFlagValues): PipelineInput {
  if (o.inputList !== undefined) return { list: o.inputList, ...(o.inputPrefix !== undefined ? { prefix: o.inputPrefix } : {}) };
  return o.input!;
}
