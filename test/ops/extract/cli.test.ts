import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerExtract } from '../../../src/cli/commands/extract.ts';
import { extractDir, extractFile } from '../../../src/cli/commands/extract-action.ts';
import { defaultExtractOptions } from '../../../src/ops/extract/options.ts';
import { fixturePage } from './helpers.ts';

const html = fixturePage('001').html;
const FIRST = 'So finally you\'re testing your frontend JavaScript code?';

describe('sluice extract', () => {
  it('single page: plain and gzipped files give the same text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-extract-'));
    writeFileSync(join(dir, 'a.html'), html);
    writeFileSync(join(dir, 'a.html.gz'), gzipSync(html));
    const plain = await extractFile(join(dir, 'a.html'), defaultExtractOptions());
    const gz = await extractFile(join(dir, 'a.html.gz'), defaultExtractOptions());
    expect(plain.ok && plain.text.startsWith(FIRST)).toBe(true);
    expect(gz).toEqual(plain);
  });

  it('batch mode writes <name>.txt for .html and .html.gz, and lists refused pages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-extract-'));
    const pages = join(dir, 'pages');
    mkdirSync(pages);
    writeFileSync(join(pages, 'one.html'), html);
    writeFileSync(join(pages, 'two.html.gz'), gzipSync(fixturePage('hukumusume').html));
    writeFileSync(join(pages, 'junk.html'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 31)));
    writeFileSync(join(pages, 'notes.txt'), 'not html');
    const out = join(dir, 'out');
    const s = await extractDir(pages, out, defaultExtractOptions());
    expect(readdirSync(out).sort()).toEqual(['one.txt', 'two.txt']);
    expect(readFileSync(join(out, 'one.txt'), 'utf8').startsWith(FIRST)).toBe(true);
    expect(readFileSync(join(out, 'two.txt'), 'utf8')).toContain('肉をくわえたイヌ');
    expect(s.failed).toEqual([{ file: 'junk.html', reason: expect.stringMatching(/^extract:binary/) }]);
  });

  it('the registered command prints the text of one page', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-extract-'));
    writeFileSync(join(dir, 'a.html'), html);
    const program = new Command('sluice').exitOverride();
    registerExtract(program);
    const chunks: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((c: string) => { chunks.push(String(c)); return true; }) as typeof process.stdout.write;
    try {
      await program.parseAsync(['node', 'sluice', 'extract', join(dir, 'a.html'), '--metadata']);
    } finally {
      process.stdout.write = write;
    }
    const out = chunks.join('');
    expect(out).toMatch(/^title: Get your Frontend JavaScript Code Covered/);
    expect(out).toContain(FIRST);
  });

  it('usage errors are clear', async () => {
    const program = new Command('sluice').exitOverride();
    registerExtract(program);
    await expect(program.parseAsync(['node', 'sluice', 'extract', '--dir', '/tmp'])).rejects.toThrow('--dir needs --out');
    await expect(program.parseAsync(['node', 'sluice', 'extract'])).rejects.toThrow(/give an HTML file/);
  });
});
