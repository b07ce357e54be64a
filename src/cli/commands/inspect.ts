import type { Command } from 'commander';

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
    .action(async (output: string, raw: Record<string, unknown>) => (await import('./inspect-action.ts')).inspectCommand(output, raw));
}
