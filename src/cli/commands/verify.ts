import type { Command } from 'commander';

/** `sluice verify <output> [--json]` */
export function registerVerify(program: Command): void {
  program.command('verify')
    .description("re-hash a run's store blobs and every output file against the checksums recorded when they were committed; " +
      'exit 0 when all match, 1 naming each corrupt or missing one and the task that wrote it (the next `sluice run` redoes those tasks)')
    .argument('<output>', 'output directory (or s3:// URI) of a run; verify it while no `sluice run` is writing it')
    .option('--json', 'print the report as JSON (schema in the README)')
    .action(async (output: string, raw: Record<string, unknown>) => (await import('./verify-action.ts')).verifyCommand(output, raw));
}
