import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { warcReader } from '../../../src/io/warc/read.ts';
import { FIXTURES, gzipMembers, readAll, responseRecord, tempFile, warcRecord } from './helpers.ts';

const html = (s: string) => `<html><head><title>t</title></head><body>${s}</body></html>`;

describe('charset decoding', () => {
  // "café “quoted” — naïve" in windows-1252: é=E9, “=93, ”=94, —=97, ï=EF; not valid UTF-8.
  const cp1252 = Buffer.concat([Buffer.from('<html><body>caf'), Buffer.from([0xe9, 0x20, 0x93]), Buffer.from('quoted'), Buffer.from([0x94, 0x20, 0x97, 0x20]), Buffer.from('na'), Buffer.from([0xef]), Buffer.from('ve</body></html>')]);
  // "日本語のテキスト" in Shift_JIS.
  const sjisText = Buffer.from([0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea, 0x82, 0xcc, 0x83, 0x65, 0x83, 0x4c, 0x83, 0x58, 0x83, 0x67]);

  it('uses the HTTP charset, then <meta charset>, then detection (UTF-8 validity, windows-1252 fallback), BOM first', async () => {
    const records = [
      responseRecord({ uri: 'http://a.example/1252', headers: ['Content-Type: text/html'], body: cp1252 }),
      responseRecord({ uri: 'http://a.example/sjis-header', headers: ['Content-Type: text/html; charset=Shift_JIS'], body: Buffer.concat([Buffer.from('<html><body>'), sjisText, Buffer.from('</body></html>')]) }),
      responseRecord({ uri: 'http://a.example/sjis-meta', headers: ['Content-Type: text/html'], body: Buffer.concat([Buffer.from('<html><head><meta http-equiv="Content-Type" content="text/html; charset=shift_jis"></head><body>'), sjisText, Buffer.from('</body></html>')]) }),
      responseRecord({ uri: 'http://a.example/latin1-label', headers: ['Content-Type: text/html; charset="ISO-8859-1"'], body: cp1252 }),
      responseRecord({ uri: 'http://a.example/utf8', headers: ['Content-Type: text/html'], body: html('Grüße, 世界') }),
      responseRecord({ uri: 'http://a.example/bom', headers: ['Content-Type: text/html; charset=windows-1252'], body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(html('BOM wins: ü'))]) }),
      responseRecord({ uri: 'http://a.example/utf16', headers: ['Content-Type: text/html'], body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(html('UTF-16 ü'), 'utf16le')]) }),
      responseRecord({ uri: 'http://a.example/bogus-label', headers: ['Content-Type: text/html; charset=no-such-charset'], body: html('ok ü') }),
    ];
    const r = await readAll([tempFile('charsets.warc.gz', gzipMembers(records))]);
    expect(r.bad).toEqual([]);
    const by = Object.fromEntries(r.rows.map((x) => [x.url, x]));
    expect(by['http://a.example/1252']).toMatchObject({ charset: 'windows-1252', html: '<html><body>café “quoted” — naïve</body></html>' });
    expect(by['http://a.example/sjis-header']).toMatchObject({ charset: 'shift_jis', html: '<html><body>日本語のテキスト</body></html>' });
    expect(by['http://a.example/sjis-meta']!.charset).toBe('shift_jis');
    expect(by['http://a.example/sjis-meta']!.html).toContain('<body>日本語のテキスト</body>');
    expect(by['http://a.example/latin1-label']).toMatchObject({ charset: 'windows-1252', html: '<html><body>café “quoted” — naïve</body></html>' });
    expect(by['http://a.example/utf8']).toMatchObject({ charset: 'utf-8', html: html('Grüße, 世界') });
    expect(by['http://a.example/bom']).toMatchObject({ charset: 'utf-8', html: html('BOM wins: ü') });
    expect(by['http://a.example/utf16']).toMatchObject({ charset: 'utf-16le', html: html('UTF-16 ü') });
    expect(by['http://a.example/bogus-label']).toMatchObject({ charset: 'utf-8', html: html('ok ü') });
  });
});

describe('HTTP payloads and filtering', () => {
  it('undoes gzip Content-Encoding and quarantines an undecodable body', async () => {
    const records = [
      responseRecord({ uri: 'http://b.example/gz', headers: ['Content-Type: text/html', 'Content-Encoding: gzip'], body: gzipSync(html('compressed')) }),
      responseRecord({ uri: 'http://b.example/broken', headers: ['Content-Type: text/html', 'Content-Encoding: gzip'], body: Buffer.from('not gzip at all') }),
      responseRecord({ uri: 'http://b.example/after', headers: ['Content-Type: text/html'], body: html('after') }),
    ];
    const path = tempFile('enc.warc', Buffer.concat(records));
    const r = await readAll([path]);
    expect(r.rows.map((x) => [x.url, x.html])).toEqual([['http://b.example/gz', html('compressed')], ['http://b.example/after', html('after')]]);
    expect(r.bad).toHaveLength(1);
    expect(r.bad[0]!.reason).toMatch(/undecodable HTTP body \(Content-Encoding gzip\)/);
    expect(r.bad[0]!.pos).toBe(records[0]!.length);
  });

  it('keeps configured content types and statuses, counting the rest by reason', async () => {
    const records = [
      warcRecord({ type: 'warcinfo', uri: '', contentType: 'application/warc-fields', block: Buffer.from('software: test\r\n') }),
      warcRecord({ type: 'request', uri: 'http://c.example/', contentType: 'application/http; msgtype=request', block: Buffer.from('GET / HTTP/1.1\r\n\r\n') }),
      warcRecord({ type: 'response', uri: 'dns:c.example', contentType: 'text/dns', block: Buffer.from('20080430204825\nc.example. 600 IN A 1.2.3.4\n') }),
      responseRecord({ uri: 'http://c.example/', headers: ['Content-Type: text/html'], body: html('home') }),
      responseRecord({ uri: 'http://c.example/404', status: '404 Not Found', headers: ['Content-Type: text/html'], body: html('missing') }),
      responseRecord({ uri: 'http://c.example/a.png', headers: ['Content-Type: image/png'], body: Buffer.from([0x89, 0x50, 0x4e, 0x47]) }),
      responseRecord({ uri: 'http://c.example/t.txt', headers: ['Content-Type: text/plain'], body: 'plain' }),
      responseRecord({ uri: 'http://c.example/sniffed', headers: [], body: '<!DOCTYPE html><html><body>no type</body></html>' }),
    ];
    const path = tempFile('mixed.warc.gz', gzipMembers(records));
    const all = await readAll([path]);
    expect(all.rows.map((x) => x.url)).toEqual(['http://c.example/', 'http://c.example/404', 'http://c.example/sniffed']);
    expect(all.skipped).toEqual({ 'non_response:warcinfo': 1, 'non_response:request': 1, non_http_response: 1, content_type: 2 });
    const some = await readAll([path], { contentTypes: ['text/'], httpStatuses: [200] });
    expect(some.rows.map((x) => x.url)).toEqual(['http://c.example/', 'http://c.example/t.txt', 'http://c.example/sniffed']);
    expect(some.skipped).toEqual({ 'non_response:warcinfo': 1, 'non_response:request': 1, non_http_response: 1, content_type: 1, http_status: 1 });
  });

  it('rejects unknown options with a clear error', async () => {
    await expect(readAll([FIXTURES + 'cc-main-2024-22.whirlwind.warc.gz'], { contentType: ['text/html'] })).rejects.toThrow(/invalid options for the warc source/);
  });

  it('builds only the requested columns plus __file/__pos', async () => {
    const r = await readAll([FIXTURES + 'cc-main-2024-22.whirlwind.warc.gz'], undefined, { columns: ['url'] });
    expect(r.batches[0]!.schema.fields.map((f) => f.name)).toEqual(['url', '__file', '__pos']);
    expect(r.rows[0]).toEqual({ url: 'https://an.wikipedia.org/wiki/Escopete', __file: 0, __pos: expect.any(Number) });
  });
});

describe('bad input', () => {
  it('quarantines empty .warc and .warc.gz files as one bad record each (a 0-byte input is a failed download)', async () => {
    for (const name of ['empty.warc', 'empty.warc.gz']) {
      const r = await readAll([tempFile(name, Buffer.alloc(0))]);
      expect(r).toMatchObject({ rows: [], bad: [{ pos: 0, reason: 'empty file (0 bytes)' }], skipped: {} });
    }
  });

  it('quarantines a malformed record in a .warc and reads the records after it', async () => {
    const a = responseRecord({ uri: 'http://d.example/a', headers: ['Content-Type: text/html'], body: html('a') });
    const junk = Buffer.from('WARC/1.0\r\nWARC-Type: response\r\nno colon here\r\n\r\ngarbage\r\n\r\n');
    const b = responseRecord({ uri: 'http://d.example/b', headers: ['Content-Type: text/html'], body: html('b') });
    const r = await readAll([tempFile('bad.warc', Buffer.concat([a, junk, b]))]);
    expect(r.rows.map((x) => [x.url, x.__pos])).toEqual([['http://d.example/a', 0], ['http://d.example/b', a.length + junk.length]]);
    expect(r.bad).toHaveLength(1);
    expect(r.bad[0]).toMatchObject({ pos: a.length });
    expect(r.bad[0]!.reason).toMatch(/malformed WARC record/);
  });

  it('quarantines a record cut short at the end of a .warc', async () => {
    const a = responseRecord({ uri: 'http://d.example/a', headers: ['Content-Type: text/html'], body: html('a') });
    const b = responseRecord({ uri: 'http://d.example/b', headers: ['Content-Type: text/html'], body: html('b'.repeat(1000)) });
    const r = await readAll([tempFile('cut.warc', Buffer.concat([a, b.subarray(0, 500)]))]);
    expect(r.rows.map((x) => x.url)).toEqual(['http://d.example/a']);
    expect(r.bad).toEqual([expect.objectContaining({ pos: a.length, reason: expect.stringMatching(/^truncated WARC record/) })]);
  });

  it('a corrupt Content-Length in a .warc loses only its own record', async () => {
    const rec = (name: string) => responseRecord({ uri: `http://e.example/${name}`, headers: ['Content-Type: text/html'], body: html(name) });
    const withLength = (r: Buffer, length: string) => Buffer.from(r.toString('latin1').replace(/Content-Length: \d+/, `Content-Length: ${length}`), 'latin1');
    const a = rec('a'), b = rec('b'), c = rec('c'), d = rec('d');
    // Past the end of the file (not a cut file: records follow), and over maxRecordBytes.
    const pastEnd = withLength(b, '99999999');
    const huge = withLength(c, '999999999999');
    const r = await readAll([tempFile('corrupt-length.warc', Buffer.concat([a, pastEnd, huge, d]))]);
    expect(r.rows.map((x) => x.url)).toEqual(['http://e.example/a', 'http://e.example/d']);
    expect(r.bad.map((x) => x.pos)).toEqual([a.length, a.length + pastEnd.length]);
    expect(r.bad[0]!.reason).toMatch(/^truncated WARC record/);
    expect(r.bad[1]!.reason).toMatch(/exceeds maxRecordBytes/);
  });

  it('quarantines a corrupt gzip member mid-file and resumes at the next member', async () => {
    const members = [1, 2, 3].map((i) => gzipSync(responseRecord({ uri: `http://e.example/${i}`, headers: ['Content-Type: text/html'], body: html(`page ${i} `.repeat(200)) })));
    const broken = Buffer.from(members[1]!);
    broken.fill(0x55, 20, 60);
    const r = await readAll([tempFile('corrupt.warc.gz', Buffer.concat([members[0]!, broken, members[2]!]))]);
    expect(r.rows.map((x) => [x.url, x.__pos])).toEqual([['http://e.example/1', 0], ['http://e.example/3', members[0]!.length + broken.length]]);
    expect(r.bad).toEqual([expect.objectContaining({ pos: members[0]!.length, reason: expect.stringMatching(/^corrupt gzip member/) })]);
  });

  it('quarantines a member whose record claims more bytes than the member holds', async () => {
    const rec = responseRecord({ uri: 'http://f.example/', headers: ['Content-Type: text/html'], body: html('x') });
    const lying = Buffer.from(rec.toString('latin1').replace(/Content-Length: \d+/, 'Content-Length: 99999'), 'latin1');
    const ok = responseRecord({ uri: 'http://f.example/ok', headers: ['Content-Type: text/html'], body: html('ok') });
    const r = await readAll([tempFile('lying.warc.gz', gzipMembers([lying, ok]))]);
    expect(r.rows.map((x) => x.url)).toEqual(['http://f.example/ok']);
    expect(r.bad[0]!.reason).toMatch(/^truncated WARC record: Content-Length 99999/);
  });

  it('gives each record of a member holding several records its own position', async () => {
    const recs = [1, 2, 3].map((i) => responseRecord({ uri: `http://g.example/${i}`, headers: ['Content-Type: text/html'], body: html(String(i)) }));
    const path = tempFile('one-member.warc.gz', Buffer.concat([gzipSync(Buffer.concat(recs)), gzipSync(recs[0]!)]));
    const r = await readAll([path]);
    const pos = r.rows.map((x) => x.__pos as number);
    expect(r.rows).toHaveLength(4);
    expect(pos[0]).toBe(0);
    expect(new Set(pos).size).toBe(4);
    expect(pos).toEqual([...pos].sort((x, y) => x - y));
  });
});

describe('partitions', () => {
  const files = ['wget-2024.dolma-sample-0000.warc.gz', 'ia-2008.IAH-20080430204825-00000-blackbook.head.warc.gz', 'cc-main-2020-34.resiliparse-warcfile.warc.gz'];

  it('splits .warc.gz files at member starts and reads the same rows as a whole read', async () => {
    const paths = files.map((f) => FIXTURES + f);
    const spec = { format: 'warc' as const, paths };
    const parts = await warcReader.partitions(spec, 16 << 10);
    expect(parts.length).toBeGreaterThan(20);
    expect(parts.map((p) => p.index)).toEqual(parts.map((_, i) => i));
    for (const p of parts) {
      const head = readFileSync(p.file!).subarray(p.start!, p.start! + 2);
      expect([...head]).toEqual([0x1f, 0x8b]);
    }
    const whole = await readAll(paths);
    const split = await readAll(paths, undefined, { partitions: parts });
    expect(split.rows).toEqual(whole.rows);
    expect(split.skipped).toEqual(whole.skipped);
  });

  it('splits .warc files at record starts and reads the same rows as a whole read', async () => {
    const plain = tempFile('ia.warc', gunzipSync(readFileSync(FIXTURES + files[1]!)));
    const spec = { format: 'warc' as const, paths: [plain] };
    const parts = await warcReader.partitions(spec, 32 << 10);
    expect(parts.length).toBeGreaterThan(5);
    const bytes = readFileSync(plain);
    for (const p of parts) expect(bytes.toString('latin1', p.start!, p.start! + 5)).toBe('WARC/');
    const whole = await readAll([plain]);
    const split = await readAll([plain], undefined, { partitions: parts });
    expect(split.rows).toEqual(whole.rows);
    expect(split.skipped).toEqual(whole.skipped);
    expect(whole.rows.length + Object.values(whole.skipped).reduce((a, b) => a + b, 0)).toBe(84);
  });

  it('does not split at a WARC header quoted inside a record block', async () => {
    const quoted = responseRecord({ uri: 'http://h.example/q', headers: ['Content-Type: text/html'], body: `<pre>\nWARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n</pre>${'x'.repeat(5000)}` });
    const other = responseRecord({ uri: 'http://h.example/o', headers: ['Content-Type: text/html'], body: html('o') });
    const path = tempFile('quoted.warc', Buffer.concat([quoted, other]));
    const parts = await warcReader.partitions({ format: 'warc', paths: [path] }, 100);
    expect(parts.map((p) => p.start)).toEqual([0, quoted.length]);
    const r = await readAll([path], undefined, { partitions: parts });
    expect(r.rows.map((x) => x.url)).toEqual(['http://h.example/q', 'http://h.example/o']);
  });
});
