import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore } from '../../storage/blob-store.ts';
import { removeDeadTemps, tempName } from '../../storage/atomic-write.ts';
import { beforeCommitOp, committed } from '../../storage/chaos-hooks.ts';
import { withPath } from '../../storage/disk-errors.ts';

/** A file being written; nothing is visible under its name until `commit`. */
export interface PendingFile {
  write(bytes: Uint8Array): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

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
