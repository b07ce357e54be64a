import { isAbsolute } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { isS3Uri, joinUri, parseS3Uri } from '../../storage/index.ts';
import { openFile } from './open-location.ts';
import type { S3LocationOptions } from './s3-location.ts';

/** How {@link readInputList} resolves entries. */
export interface InputListOptions {
  /**
   * Location that relative entries are keys under (`--input-prefix`), e.g. `s3://commoncrawl/`
   * for Common Crawl's `warc.paths.gz`. Without it a relative entry is an error.
   */
  prefix?: string;
  s3?: S3LocationOptions;
}

/**
 * Reads an input list (`--input-list`): a local or `s3://` file, gzip-compressed or not (detected
 * by its magic bytes), one entry per line — a full URI (`s3://…`, `file://…`, an absolute path) or
 * a key relative to `options.prefix`. Blank lines and lines starting with `#` are skipped. Returns
 * the inputs' URIs in list order, which (as sorted paths do for a directory) defines document
 * identity; a repeated entry is an error, since it would read its documents twice.
 */
export async function readInputList(listUri: string, options: InputListOptions = {}): Promise<string[]> {
  const { location, path } = await openFile(listUri, { s3: options.s3 });
  let bytes = await location.readBytes(path);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const out: string[] = [];
  const seen = new Map<string, number>();
  const lines = new TextDecoder('utf-8', { fatal: true }).decode(bytes).split(/\r?\n/);
  lines.forEach((raw, i) => {
    const entry = raw.trim();
    if (entry === '' || entry.startsWith('#')) return;
    const where = `${listUri} line ${i + 1}`;
    let uri: string;
    if (isS3Uri(entry)) {
      parseS3Uri(entry);
      uri = entry;
    } else if (entry.startsWith('file://') || isAbsolute(entry)) {
      uri = entry;
    } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) {
      throw new Error(`${where}: unsupported URI "${entry}" (expected s3://, file:// or a path)`);
    } else if (options.prefix !== undefined) {
      uri = joinUri(options.prefix, entry);
    } else {
      throw new Error(`${where}: "${entry}" is relative; give the location it is relative to (--input-prefix)`);
    }
    const first = seen.get(uri);
    if (first !== undefined) throw new Error(`${where}: "${uri}" is listed twice (first on line ${first})`);
    seen.set(uri, i + 1);
    out.push(uri);
  });
  return out;
}
