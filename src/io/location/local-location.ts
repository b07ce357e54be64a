import { createReadStream } from 'node:fs';
import { open, readFile, readdir, stat, unlink } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { writeAtomically, type BlobData } from '../../storage/index.ts';
import { checkRelativePath, compareUtf8, type Location, type LocationEntry, type LocationStat } from './location.ts';

/** A {@link Location} on the local (or a shared POSIX) file system, rooted at a directory. */
export class LocalLocation implements Location {
  constructor(readonly root: string) {}

  get uri(): string {
    return this.root;
  }

  uriOf(path: string): string {
    return join(this.root, ...checkRelativePath(path).split('/'));
  }

  async list(prefix = ''): Promise<LocationEntry[]> {
    // Walk only the directory the prefix names.
    const slash = prefix.lastIndexOf('/');
    const dir = slash < 0 ? this.root : this.uriOf(prefix.slice(0, slash));
    let entries;
    try {
      entries = await readdir(dir, { recursive: true, withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: LocationEntry[] = [];
    for (const e of entries) {
      if (!e.isFile()) continue;
      const uri = join(e.parentPath, e.name);
      const path = relative(this.root, uri).split(sep).join('/');
      if (!path.startsWith(prefix)) continue;
      const st = await stat(uri);
      out.push({ path, uri, size: st.size, lastModified: st.mtime });
    }
    return out.sort((a, b) => compareUtf8(a.path, b.path));
  }

  async stat(path: string): Promise<LocationStat | undefined> {
    try {
      const st = await stat(this.uriOf(path));
      return st.isFile() ? { size: st.size, lastModified: st.mtime } : undefined;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async *readRange(path: string, start = 0, end?: number): AsyncGenerator<Uint8Array> {
    const file = this.uriOf(path);
    const size = (await stat(file)).size;
    const stop = end ?? size;
    if (start < 0 || stop < start || stop > size) throw new Error(`invalid range [${start}, ${stop}) of ${file} (${size} bytes)`);
    if (stop === start) return;
    for await (const piece of createReadStream(file, { start, end: stop - 1, highWaterMark: 1 << 20 })) {
      yield plain(piece as Buffer);
    }
  }

  async readBytes(path: string): Promise<Uint8Array> {
    return plain(await readFile(this.uriOf(path)));
  }

  async writeFile(path: string, data: BlobData | string): Promise<void> {
    await writeAtomically(this.uriOf(path), async (tmp) => {
      const fh = await open(tmp, 'w');
      try {
        if (typeof data === 'string' || data instanceof Uint8Array) await fh.writeFile(data);
        else for await (const piece of data) await fh.write(piece);
      } finally {
        await fh.close();
      }
    });
  }

  async delete(path: string): Promise<void> {
    await unlink(this.uriOf(path)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }
}

/** A Buffer as a plain Uint8Array view (no copy), so both backends yield the same type. */
function plain(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}
