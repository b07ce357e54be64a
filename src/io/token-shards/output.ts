import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore } from '../../storage/blob-store.ts';
import { isS3Uri, localPath } from '../../storage/uri.ts';
import { openLocation, openPendingFile, type Location, type PendingFile } from '../location/index.ts';
import { removeDeadTemps, tempName } from '../../storage/atomic-write.ts';
import { beforeCommitOp, committed } from '../../storage/chaos-hooks.ts';
import { withPath } from '../../storage/disk-errors.ts';

export type { PendingFile } from '../location/index.ts';

/**
 * Where shards go. Each file commits atomically on its own; the writer commits `manifest.json`
 * last, so a reader that starts from the manifest never sees a partial output.
 */
export interface ShardOutput {
  create(name: string): Promise<PendingFile>;
  /** Names currently present (to remove shards a previous, larger run left behind). */
  list(): Promise<string[]>;
  remove(name: string): Promise<void>;
  /** Durably records the directory entries created so far. */
  sync(): Promise<void>;
}

/**
 * Plain files in a directory, which is what training jobs and `np.memmap` read: temp file in the
 * same directory, fsync, rename. (The blob store's chunked, content-addressed layout cannot be
 * memory-mapped, so it is an option — {@link BlobStoreOutput} — not the default.)
 */
export class LocalDirOutput implements ShardOutput {
  constructor(readonly dir: string) {}

  async create(name: string): Promise<PendingFile> {
    await mkdir(this.dir, { recursive: true });
    // A run killed while assembling left its temp file for this name; the resumed one clears it.
    await removeDeadTemps(this.dir, name);
    const tmp = join(this.dir, tempName(name));
    const fh: FileHandle = await open(tmp, 'wx');
    const path = join(this.dir, name);
    let closed = false;
    return {
      write: async (bytes) => {
        try {
          beforeCommitOp('write', path);
          await fh.write(bytes, 0, bytes.length);
        } catch (e) {
          throw withPath(e, path);
        }
      },
      commit: async () => {
        try {
          await fh.sync();
          await fh.close();
          closed = true;
          beforeCommitOp('rename', path);
          await rename(tmp, path);
        } catch (e) {
          throw withPath(e, path);
        }
        committed(path);
      },
      abort: async () => {
        if (!closed) await fh.close();
        await rm(tmp, { force: true });
      },
    };
  }

  async list(): Promise<string[]> {
    try { return await readdir(this.dir); } catch { return []; }
  }

  async remove(name: string): Promise<void> { await rm(join(this.dir, name), { force: true }); }

  async sync(): Promise<void> {
    const d = await open(this.dir, 'r');
    try { await d.sync(); } finally { await d.close(); }
  }
}

/**
 * Files under a {@link Location}, for `s3://` outputs: each file streams into one upload (a
 * multipart upload beyond 8 MiB, so a shard is never held whole: memory is the parts in flight,
 * 4 × 8 MiB by default) that S3 makes visible only when it completes, so an object under a final
 * name is always whole. Works on a local location too, without the fsyncs of {@link LocalDirOutput}.
 */
export class LocationOutput implements ShardOutput {
  private readonly location: Promise<Location>;

  /** `location` may be a promise, so a synchronous caller can hand over an `openLocation` still opening. */
  constructor(location: Location | Promise<Location>) {
    this.location = Promise.resolve(location);
    // Failing to open is reported by the first use, not as an unhandled rejection.
    this.location.catch(() => undefined);
  }

  async create(name: string): Promise<PendingFile> {
    return openPendingFile(await this.location, name);
  }

  async list(): Promise<string[]> {
    // Only the files directly under the location, as a directory listing gives.
    return (await (await this.location).list()).map((e) => e.path).filter((p) => !p.includes('/'));
  }

  async remove(name: string): Promise<void> { await (await this.location).delete(name); }

  /** An upload is durable once it completes: nothing to do. */
  async sync(): Promise<void> {}
}

/** The output for shards under a URI: plain fsynced files for a local directory, a {@link LocationOutput} for `s3://`. */
export function shardOutputFor(uri: string): ShardOutput {
  return isS3Uri(uri) ? new LocationOutput(openLocation(uri)) : new LocalDirOutput(localPath(uri));
}

/**
 * Shards as blobs under `prefix/` of a {@link BlobStore} (atomic `put`). A pending file is held in
 * memory until commit, so memory is one shard; use it with a modest `maxTokensPerShard`.
 */
export class BlobStoreOutput implements ShardOutput {
  constructor(readonly store: BlobStore, readonly prefix: string) {}

  async create(name: string): Promise<PendingFile> {
    const parts: Uint8Array[] = [];
    return {
      write: async (bytes) => { parts.push(bytes.slice()); },
      commit: async () => { await this.store.put(`${this.prefix}/${name}`, parts); },
      abort: async () => { parts.length = 0; },
    };
  }

  async list(): Promise<string[]> {
    return (await this.store.list(`${this.prefix}/`)).map((k) => k.slice(this.prefix.length + 1));
  }

  async remove(name: string): Promise<void> { await this.store.delete(`${this.prefix}/${name}`); }

  async sync(): Promise<void> {}
}
