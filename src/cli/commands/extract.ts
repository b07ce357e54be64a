import type { Command } from 'commander';
import type { RawFlags } from './extract-action.ts';

/** `sluice extract <file.html | ->` or `sluice extract --dir <dir> --out <dir>`: main-text debugging aid. */
export function registerExtract(program: Command): void {
  program.command('extract')
    .description('print the main text of one HTML page, or extract every page of a directory')
    .argument('[file]', 'HTML file (.html or .html.gz), or - for stdin')
    .option('--dir <dir>', 'batch mode: directory of .html / .html.gz pages')
    .option('--out <dir>', 'batch mode: directory to write <name>.txt files to')
    .option('--favor-precision', 'keep less text, drop more borderline boilerplate')
    .option('--favor-recall', 'keep more text, at the risk of some boilerplate')
    .option('--no-tables', 'leave tables out of the text')
    .option('--comments', 'append user comments after the main text')
    .option('--metadata', 'single-page mode: print title, date and author before the text')
    .option('--time-budget <ms>', 'per-page time limit in milliseconds')
    .action(async (file: string | undefined, flags: RawFlags) => (await import('./extract-action.ts')).extractCommand(file, flags));
}
