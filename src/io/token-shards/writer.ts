import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { readTokenLists } from '../../arrow/token-lists.ts';
import {
  assertLittleEndianHost, FORMAT, FORMAT_VERSION, MANIFEST_FILE, type ShardLayoutName, type TokenDtype, type TokenShardManifest,
} from './format.ts';
import { datatroveLayout, SHARD_LAYOUTS } from './layout.ts';
import { LocalDirOutput, shardOutputFor, type ShardOutput } from './output.ts';
import { ShardBuilder } from './shard-builder.ts';
import { writeShuffled } from './shuffle.ts';

export { readTokenShardManifest, readTokenShards, type ShardDocument } from './reader.ts';
export { BlobStoreOutput, LocalDirOutput, LocationOutput, shardOutputFor, type ShardOutput } from './output.ts';
export type { ShardEntry, ShardLayoutName, TokenDtype, TokenShardManifest } from './format.ts';

/** Default shard size: 2^30 tokens (2 GiB as uint16), a size training loaders memory-map comfortably. */
export const DEFAULT_MAX_TOKENS_PER_SHARD = 2 ** 30;

export interface TokenShardWriterOptions {
  /** Tokenizer identity recorded in the manifest (`TokenizerBackend.name` / `.hash`). */
  tokenizer: { name: string; hash: string };
  /** Every id must be below it; it picks the dtype as the layout's readers do (datatrove: uint16 up to 65,536 ids, else uint32; megatron: uint16 below 65,500, else int32). */
  vocabSize: number;
  /** `datatrove` (`.ds`, the default) or `megatron` (`.bin` + `.idx`); see docs/token-format.md. */
  layout?: ShardLayoutName;
  /** The EOS id the tokenize step appended to each document (recorded, not added), or null. */
  eosId: number | null;
  /** Fingerprint of the pipeline that produced the tokens, recorded in the manifest. */
  fingerprint: string;
  /** Close a shard before a document would take it past this many tokens (default 2^30). */
  maxTokensPerShard?: number;
  /** Force a dtype the layout knows; `uint16` with a larger vocabulary is an error. Default from `vocabSize`. */
  dtype?: TokenDtype;
  /** Shuffle documents globally with this seed (two passes, see {@link createTokenShardWriter}). */
  shuffleSeed?: number;
  /**
   * Where the shuffle's first pass stages shards: a local directory, since it is read back with
   * positioned reads. Default a hidden directory inside a local output, else in the OS temp directory.
   */
  stagingDir?: string;
  /** Column holding `List<Uint32>` ids (default `tokens`). */
  tokensColumn?: string;
}

export interface TokenShardWriter {
  /** Appends the batch's documents (its tokens column) in row order. */
  write(batch: RecordBatch): Promise<void>;
  /** Finishes the shards, then commits `manifest.json`; returns it. */
  close(): Promise<TokenShardManifest>;
  /** Discards what was written (pending temp files and staging); the manifest is not touched. */
  abort(): Promise<void>;
}

/**
 * Writes token shards (format: docs/token-format.md) to a directory, an `s3://` prefix or another
 * {@link ShardOutput}.
 *
 * Atomicity: every shard and index file is written to a temp name, fsynced and renamed (on S3:
 * streamed into one upload, visible only once complete); the manifest is written the same way,
 * last, after which shard files of an earlier run that the new manifest does not list are
 * removed. A crash leaves no partial file under a final name and no manifest listing a missing
 * shard. (Rewriting a directory replaces shard files one by one before the new manifest lands;
 * the manifest's checksums make a reader notice if it raced a rewrite.)
 *
 * Shuffle (`shuffleSeed`): a global, deterministic document shuffle in two passes that keeps memory
 * bounded. Pass one streams documents in input order into one staging shard on local disk; pass two
 * draws a seeded permutation of all documents and copies them, one positioned read each, into the
 * final shards. Memory is ~20 bytes per document (never the tokens); disk is written twice. Same
 * input order + seed ⇒ byte-identical shards.
 */
export function createTokenShardWriter(dir: string | ShardOutput, options: TokenShardWriterOptions): TokenShardWriter {
  assertLittleEndianHost();
  const maxTokensPerShard = options.maxTokensPerShard ?? DEFAULT_MAX_TOKENS_PER_SHARD;
  if (!Number.isInteger(maxTokensPerShard) || maxTokensPerShard < 1) throw new Error(`token shards: maxTokensPerShard must be a positive integer, got ${maxTokensPerShard}`);
  if (!Number.isInteger(options.vocabSize) || options.vocabSize < 1) throw new Error(`token shards: vocabSize must be a positive integer, got ${options.vocabSize}`);
  const layout = SHARD_LAYOUTS[options.layout ?? 'datatrove'];
  const dtype = options.dtype ?? layout.dtypeFor(options.vocabSize);
  if (!layout.dtypes.includes(dtype)) throw new Error(`token shards: the ${layout.name} layout has no dtype ${dtype} (use ${layout.dtypes.join(' or ')})`);
  if (dtype === 'uint16' && options.vocabSize > 65_536) throw new Error(`token shards: dtype uint16 cannot hold a vocabulary of ${options.vocabSize}`);
  if (options.eosId !== null && options.eosId >= options.vocabSize) throw new Error(`token shards: eosId ${options.eosId} is outside the vocabulary (size ${options.vocabSize})`);
  const seed = options.shuffleSeed;
  if (seed !== undefined && (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)) throw new Error(`token shards: shuffleSeed must be an integer in [0, 2^32), got ${seed}`);

  const output = typeof dir === 'string' ? shardOutputFor(dir) : dir;
  const column = options.tokensColumn ?? 'tokens';
  const final = new ShardBuilder(output, layout, dtype, options.vocabSize, maxTokensPerShard);
  // Staging is private to the shuffle, so it always uses the layout writeShuffled reads back.
  const stagingDtype = datatroveLayout.dtypeFor(options.vocabSize);
  const stagingDir = seed === undefined ? undefined
    : options.stagingDir ?? join(output instanceof LocalDirOutput ? output.dir : tmpdir(), `.shuffle-staging-${randomBytes(6).toString('hex')}`);
  const staging = stagingDir ? new ShardBuilder(new LocalDirOutput(stagingDir), datatroveLayout, stagingDtype, options.vocabSize, Number.MAX_SAFE_INTEGER) : undefined;
  const first = staging ?? final;
  let state: 'open' | 'closed' | 'aborted' = 'open';

  const cleanup = async () => { if (stagingDir) await rm(stagingDir, { recursive: true, force: true }); };

  return {
    async write(batch) {
      if (state !== 'open') throw new Error(`token shards: write after ${state === 'closed' ? 'close' : 'abort'}`);
      const lists = readTokenLists(batch, column);
      for (let i = 0; i < lists.length; i++) {
        await first.add(lists.values.subarray(lists.offsets[i]!, lists.offsets[i + 1]!));
      }
    },
    async close() {
      if (state !== 'open') throw new Error(`token shards: close after ${state === 'closed' ? 'close' : 'abort'}`);
      state = 'closed';
      try {
        if (staging) await writeShuffled(stagingDir!, await staging.finish(), stagingDtype, seed!, final);
        const shards = await final.finish();
        const manifest: TokenShardManifest = {
          format: FORMAT,
          version: FORMAT_VERSION,
          tokenizer: { name: options.tokenizer.name, hash: options.tokenizer.hash },
          layout: layout.name,
          dtype,
          byteOrder: 'little',
          eosId: options.eosId,
          vocabSize: options.vocabSize,
          maxTokensPerShard,
          shuffle: seed === undefined ? null : { seed, method: 'two-pass-global' },
          fingerprint: options.fingerprint,
          totalTokens: shards.reduce((n, s) => n + s.tokens, 0),
          totalDocuments: shards.reduce((n, s) => n + s.documents, 0),
          shards,
        };
        const file = await output.create(MANIFEST_FILE);
        try {
          await file.write(new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`));
          await file.commit();
        } catch (e) {
          await file.abort();
          throw e;
        }
        await output.sync();
        const keep = new Set(shards.flatMap((s) => [s.file, s.index]));
        for (const name of await output.list()) {
          const ours = Object.values(SHARD_LAYOUTS).some((l) => l.files.test(name));
          if (ours && !keep.has(name)) await output.remove(name);
        }
        return manifest;
      } catch (e) {
        await final.abort();
        throw e;
      } finally {
        await cleanup();
      }
    },
    async abort() {
      if (state !== 'open') return;
      state = 'aborted';
      await staging?.abort();
      await final.abort();
      await cleanup();
    },
  };
}
