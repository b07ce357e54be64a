import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FIXTURES, readAll, tempFile } from './helpers.ts';

// Record counts from /work/shared/README.md (data/warc table); each file's counts must add up to
// its total number of records, so every record is either a row or a counted skip.
const FILES: Record<string, { records: number; rows: number; ok200: number; skipped: Record<string, number> }> = {
  'cc-main-2020-34.resiliparse-warcfile.warc.gz': {
    records: 50, rows: 16, ok200: 16,
    skipped: { 'non_response:warcinfo': 1, 'non_response:request': 17, 'non_response:metadata': 16 },
  },
  'cc-main-2024-22.whirlwind.warc.gz': {
    records: 4, rows: 1, ok200: 1,
    skipped: { 'non_response:warcinfo': 1, 'non_response:request': 1, 'non_response:metadata': 1 },
  },
  'wget-2024.dolma-sample-0000.warc.gz': {
    records: 48, rows: 22, ok200: 22,
    skipped: { 'non_response:warcinfo': 1, 'non_response:request': 22, 'non_response:metadata': 1, 'non_response:resource': 2 },
  },
  'wget-2024.dolma-sample-0001.warc.gz': {
    records: 34, rows: 15, ok200: 15,
    skipped: { 'non_response:warcinfo': 1, 'non_response:request': 15, 'non_response:metadata': 1, 'non_response:resource': 2 },
  },
  // The first 84 gzip members of the IA 2008 WARC/0.17 file (see fixtures/SOURCES.md).
  'ia-2008.IAH-20080430204825-00000-blackbook.head.warc.gz': {
    records: 84, rows: 6, ok200: 5,
    skipped: { 'non_response:warcinfo': 1, 'non_response:request': 26, 'non_response:metadata': 26, non_http_response: 5, content_type: 20 },
  },
};

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

describe('warc reader on real crawls', () => {
  for (const [file, want] of Object.entries(FILES)) {
    it(`reads ${file}: every record is a row or a counted skip`, async () => {
      const r = await readAll([FIXTURES + file]);
      expect(r.bad).toEqual([]);
      expect(r.rows.length).toBe(want.rows);
      expect(r.rows.filter((x) => x.http_status === 200).length).toBe(want.ok200);
      expect(r.skipped).toEqual(want.skipped);
      expect(r.rows.length + sum(r.skipped)).toBe(want.records);
      for (const row of r.rows) {
        expect(row.id).toMatch(/^<urn:uuid:[0-9a-fA-F-]+>$/);
        expect(row.url).toMatch(/^https?:\/\/[^<>\s]+$/);
        expect(row.content_type).toBe('text/html');
        expect(typeof row.html).toBe('string');
        expect(row.__file).toBe(0);
      }
      const pos = r.rows.map((x) => x.__pos as number);
      expect(pos).toEqual([...pos].sort((a, b) => a - b));
      expect(new Set(pos).size).toBe(pos.length);
    });
  }

  it('reads the full IA 2008 WARC/0.17 file with the published counts (822 records, 140 HTML, 94 with status 200)', async (ctx) => {
    const path = '/work/shared/data/warc/ia-2008.IAH-20080430204825-00000-blackbook.warc.gz';
    if (!existsSync(path)) ctx.skip();
    const r = await readAll([path]);
    expect(r.bad).toEqual([]);
    expect(r.rows.length).toBe(140);
    expect(r.rows.filter((x) => x.http_status === 200).length).toBe(94);
    expect(r.rows.length + sum(r.skipped)).toBe(822);
    expect(r.skipped['non_response:request']).toBe(261);
    expect(r.skipped['non_response:metadata']).toBe(261);
    expect(r.skipped['non_response:warcinfo']).toBe(1);
    expect(r.skipped['non_http_response']! + r.skipped['content_type']!).toBe(299 - 140);
  });

  it('parses WARC/0.17 records: ids, dates, statuses and HTML of the 2008 crawl', async () => {
    const r = await readAll([FIXTURES + 'ia-2008.IAH-20080430204825-00000-blackbook.head.warc.gz']);
    const redirect = r.rows.filter((x) => x.http_status !== 200);
    expect(redirect.map((x) => [x.http_status, x.html])).toEqual([[302, '']]);
    expect(r.rows[1]).toMatchObject({ url: 'http://www.archive.org/index.php', charset: 'utf-8' });
    for (const row of r.rows) {
      expect(row.date).toMatch(/^2008-04-30T/);
      if (row.http_status === 200) expect(row.html as string).toMatch(/^<(html|!DOCTYPE)/i);
    }
    // credits.php is served without a charset and is not valid UTF-8: detection falls back to windows-1252.
    const credits = r.rows.find((x) => x.url === 'http://www.archive.org/about/credits.php')!;
    expect(credits.charset).toBe('windows-1252');
    expect(credits.html as string).not.toContain('\uFFFD');
  });

  it('strips the <…> wrapping wget writes around WARC-Target-URI', async () => {
    const raw = gunzipSync(readFileSync(FIXTURES + 'wget-2024.dolma-sample-0000.warc.gz')).toString('latin1');
    expect(raw).toContain('WARC-Target-URI: <https://www.semanticscholar.org/research/research-team>');
    const r = await readAll([FIXTURES + 'wget-2024.dolma-sample-0000.warc.gz']);
    expect(r.rows.map((x) => x.url)).toContain('https://www.semanticscholar.org/research/research-team');
  });

  it('removes chunked transfer coding that wget keeps', async () => {
    const r = await readAll([FIXTURES + 'wget-2024.dolma-sample-0001.warc.gz']);
    for (const row of r.rows) {
      const html = (row.html as string).trimStart();
      expect(html.slice(0, 1)).toBe('<');
      expect(html).not.toMatch(/\r\n0\r\n\r\n$/);
    }
  });

  it('reads the truncated (clipped) file without crashing: one quarantined bad record with file and offset', async () => {
    const path = FIXTURES + 'clipped.resiliparse.warc.gz';
    const r = await readAll([path]);
    expect(r.rows).toEqual([]);
    expect(r.bad).toHaveLength(1);
    expect(r.bad[0]).toMatchObject({ file: path, pos: 0 });
    expect(r.bad[0]!.reason).toMatch(/^truncated gzip member/);
    expect(r.bad[0]!.sample).toMatch(/^WARC\/1\.0\r\nWARC-Record-ID: <urn:uuid:f3dfa8fa/);
  });

  it('reads the rest of a file after a truncated member when more files follow, and numbers files', async () => {
    const r = await readAll([FIXTURES + 'clipped.resiliparse.warc.gz', FIXTURES + 'cc-main-2024-22.whirlwind.warc.gz']);
    expect(r.bad).toHaveLength(1);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]!.__file).toBe(1);
    expect(r.rows[0]!.url).toBe('https://an.wikipedia.org/wiki/Escopete');
  });

  it('reads an uncompressed .warc copy to the same rows', async () => {
    const file = 'wget-2024.dolma-sample-0000.warc.gz';
    const plain = tempFile('sample.warc', gunzipSync(readFileSync(FIXTURES + file)));
    const a = await readAll([FIXTURES + file]);
    const b = await readAll([plain]);
    expect(b.bad).toEqual([]);
    expect(b.skipped).toEqual(a.skipped);
    const strip = (rows: Record<string, unknown>[]) => rows.map(({ __pos: _p, ...rest }) => rest);
    expect(strip(b.rows)).toEqual(strip(a.rows));
    expect(b.rows[0]!.__pos).toBeGreaterThan(0);
    expect(gunzipSync(readFileSync(FIXTURES + file)).toString('latin1', b.rows[0]!.__pos as number, (b.rows[0]!.__pos as number) + 9)).toBe('WARC/1.0\r');
  });

  it('reads an uncompressed .warc bigger than its file window to the same rows (values are copied before the window moves on)', async () => {
    const gz = Buffer.concat(Array.from({ length: 6 }, () => ['wget-2024.dolma-sample-0000.warc.gz', 'wget-2024.dolma-sample-0001.warc.gz', 'cc-main-2020-34.resiliparse-warcfile.warc.gz']
      .map((f) => readFileSync(FIXTURES + f))).flat());
    const plain = gunzipSync(gz);
    // Several 4 MiB windows, so the window compacts while a batch still holds earlier records.
    expect(plain.length).toBeGreaterThan(3 * (4 << 20));
    const a = await readAll([tempFile('big.warc.gz', gz)], undefined, { columns: ['url', 'html'] });
    const b = await readAll([tempFile('big.warc', plain)], undefined, { columns: ['url', 'html'] });
    expect(b.rows.length).toBe(a.rows.length);
    const strip = (rows: Record<string, unknown>[]) => rows.map(({ __pos: _p, ...rest }) => rest);
    expect(strip(b.rows)).toEqual(strip(a.rows));
  });

  it('decodes the Common Crawl pages with their declared charsets', async () => {
    const r = await readAll([FIXTURES + 'cc-main-2020-34.resiliparse-warcfile.warc.gz']);
    const charsets = new Set(r.rows.map((x) => x.charset));
    expect(charsets.has('utf-8')).toBe(true);
    for (const row of r.rows) expect(row.html as string).not.toContain('\u0000');
  });
});
