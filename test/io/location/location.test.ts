import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalLocation, openFile, openLocation, readInputList, type Location } from '../../../src/io/location/index.ts';
import { S3Location } from '../../../src/io/location/s3-location.ts';
import { collectBytes, inPieces, pseudoRandomBytes as bytes, sameBytes } from '../../helpers/bytes.ts';
import { NO_S3, findS3Server, useTestBucket } from '../../helpers/s3.ts';

const server = await findS3Server();
const bucket = useTestBucket(server);
const WARC = resolve('fixtures/warc');
const MIB = 1 << 20;
const tempDirs: string[] = [];
afterAll(async () => { for (const d of tempDirs) await rm(d, { recursive: true, force: true }); });
const tempDir = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), 'sluice-location-'));
  tempDirs.push(d);
  return d;
};

interface Backend { name: string; open(): Promise<Location> }
let n = 0;
const backends: Backend[] = [{ name: 'local', open: async () => new LocalLocation(await tempDir()) }];
if (server) {
  backends.push({
    name: 's3',
    open: async () => new S3Location(bucket.name, `loc/${n++}`, { connection: bucket.connection, listPageSize: 3, upload: { partSize: 5 * MIB } }),
  });
} else {
  it.skip(`Location on s3: ${NO_S3}`, () => undefined);
}

describe.each(backends)('Location: $name', (backend) => {
  it('writes, lists in UTF-8 order, stats, reads ranges and deletes', async () => {
    const loc = await backend.open();
    const names = ['b/x.txt', 'b-1.txt', 'a/z.txt', 'a/é.txt', 'a/b/c.txt', 'ab.txt'];
    for (const [i, p] of names.entries()) await loc.writeFile(p, bytes(100 + i, i));
    const listed = await loc.list();
    // UTF-8 byte order: '-' (2d) < '/' (2f) < 'b' (62); 'z' (7a) < 'é' (c3 a9).
    expect(listed.map((e) => e.path)).toEqual(['a/b/c.txt', 'a/z.txt', 'a/é.txt', 'ab.txt', 'b-1.txt', 'b/x.txt']);
    expect(listed.find((e) => e.path === 'ab.txt')).toMatchObject({ size: 105, uri: loc.uriOf('ab.txt') });
    expect((await loc.list('a')).map((e) => e.path)).toEqual(['a/b/c.txt', 'a/z.txt', 'a/é.txt', 'ab.txt']);
    expect((await loc.list('a/')).map((e) => e.path)).toEqual(['a/b/c.txt', 'a/z.txt', 'a/é.txt']);
    expect((await loc.list('b/x')).map((e) => e.path)).toEqual(['b/x.txt']);
    expect(await loc.list('nothing/')).toEqual([]);
    expect(await loc.stat('a/z.txt')).toMatchObject({ size: 102 });
    expect(await loc.stat('a/missing.txt')).toBeUndefined();
    expect(await loc.readBytes('b-1.txt')).toEqual(bytes(101, 1));
    expect(await collectBytes(loc.readRange('b-1.txt', 10, 20))).toEqual(bytes(101, 1).subarray(10, 20));
    expect(await collectBytes(loc.readRange('b-1.txt', 101))).toEqual(new Uint8Array(0));
    await expect(collectBytes(loc.readRange('b-1.txt', 0, 200))).rejects.toThrow();
    await loc.delete('b-1.txt');
    await loc.delete('b-1.txt');
    expect(await loc.stat('b-1.txt')).toBeUndefined();
    expect(() => loc.uriOf('../escape')).toThrow(/invalid location path/);
    expect(() => loc.uriOf('a//b')).toThrow(/invalid location path/);
  });

  it('writes big streams (multipart on S3) and replaces files whole', async () => {
    const loc = await backend.open();
    const data = bytes(11 * MIB + 5, 9);
    await loc.writeFile('out/part-0.bin', inPieces(data, 777_777));
    expect(sameBytes(await loc.readBytes('out/part-0.bin'), data)).toBe(true);
    expect(sameBytes(await collectBytes(loc.readRange('out/part-0.bin', 5 * MIB - 3, 10 * MIB)), data.subarray(5 * MIB - 3, 10 * MIB))).toBe(true);
    await loc.writeFile('out/part-0.bin', bytes(10, 1));
    expect(await loc.readBytes('out/part-0.bin')).toEqual(bytes(10, 1));
    async function* failing() { yield bytes(6 * MIB, 2); yield bytes(6 * MIB, 3); throw new Error('sink crashed'); }
    await expect(loc.writeFile('out/part-0.bin', failing())).rejects.toThrow('sink crashed');
    expect(await loc.readBytes('out/part-0.bin')).toEqual(bytes(10, 1));
    expect((await loc.list('out/')).map((e) => e.path)).toEqual(['out/part-0.bin']);
  });

  it('holds real WARC files: listed, stat-ed and read by byte range as on disk', async () => {
    const loc = await backend.open();
    const files = (await readdir(WARC)).sort();
    for (const f of files) await loc.writeFile(`crawl/${f}`, await readFile(join(WARC, f)));
    const listed = await loc.list('crawl/');
    expect(listed.map((e) => e.path)).toEqual(files.map((f) => `crawl/${f}`));
    for (const e of listed) {
      const disk = await readFile(join(WARC, e.path.slice('crawl/'.length)));
      expect(e.size).toBe(disk.length);
      const from = Math.floor(disk.length / 3);
      const to = Math.floor((2 * disk.length) / 3);
      expect(sameBytes(await collectBytes(loc.readRange(e.path, from, to)), disk.subarray(from, to))).toBe(true);
    }
  });

  it('reads input lists: gzip or plain, relative keys under a prefix or full URIs', async () => {
    const loc = await backend.open();
    const files = (await readdir(WARC)).sort();
    for (const f of files) await loc.writeFile(`crawl-data/warc/${f}`, await readFile(join(WARC, f)));
    // As Common Crawl's warc.paths.gz: gzip, one key per line relative to the bucket.
    const keys = files.map((f) => `crawl-data/warc/${f}`);
    await loc.writeFile('lists/warc.paths.gz', gzipSync(`${keys.join('\n')}\n`));
    const uris = await readInputList(loc.uriOf('lists/warc.paths.gz'), { prefix: loc.uri, s3: { connection: server ? bucket.connection : undefined } });
    expect(uris).toEqual(keys.map((k) => loc.uriOf(k)));
    for (const [i, uri] of uris.entries()) {
      const { location, path } = await openFile(uri, { s3: { connection: server ? bucket.connection : undefined } });
      expect(sameBytes(await location.readBytes(path), await readFile(join(WARC, files[i]!)))).toBe(true);
    }
    // Plain text, full URIs of both kinds, comments and blank lines; list order is kept.
    const local = join(WARC, files[0]!);
    await loc.writeFile('lists/mixed.txt', `# inputs\n${loc.uriOf(keys[2]!)}\r\n\n  ${local}  \nfile://${join(WARC, files[1]!)}\n`);
    expect(await readInputList(loc.uriOf('lists/mixed.txt'), { s3: { connection: server ? bucket.connection : undefined } }))
      .toEqual([loc.uriOf(keys[2]!), local, `file://${join(WARC, files[1]!)}`]);
    await loc.writeFile('lists/relative.txt', `${keys[0]}\n`);
    await expect(readInputList(loc.uriOf('lists/relative.txt'), { s3: { connection: server ? bucket.connection : undefined } }))
      .rejects.toThrow(/relative\.txt line 1: "crawl-data\/warc\/.*" is relative; give the location it is relative to \(--input-prefix\)/);
    await loc.writeFile('lists/twice.txt', `${keys[0]}\n${keys[1]}\n${keys[0]}\n`);
    await expect(readInputList(loc.uriOf('lists/twice.txt'), { prefix: loc.uri, s3: { connection: server ? bucket.connection : undefined } }))
      .rejects.toThrow(/line 3: .* is listed twice \(first on line 1\)/);
  });
});

describe('openLocation', () => {
  it('opens local directories by path or file:// URL', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'f.txt'), 'hello');
    const byPath = await openLocation(dir);
    expect(byPath).toBeInstanceOf(LocalLocation);
    expect((await byPath.list()).map((e) => e.path)).toEqual(['sub/f.txt']);
    const byUrl = await openLocation(`file://${dir}`);
    expect(new TextDecoder().decode(await byUrl.readBytes('sub/f.txt'))).toBe('hello');
    const { location, path } = await openFile(join(dir, 'sub', 'f.txt'));
    expect(path).toBe('f.txt');
    expect(await location.stat(path)).toMatchObject({ size: 5 });
  });
});
