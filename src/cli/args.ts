import { availableParallelism } from 'node:os';

/**
 * Helpers the command definitions use while building `--help`: kept apart from `options.ts`
 * (zod schemas), so defining the commands loads nothing heavy.
 */

/** Parses repeated `--option key=value` flags. */
export function collectOption(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Worker threads when `--workers` is not given: the core count. */
export const defaultWorkers = (): number => availableParallelism();
