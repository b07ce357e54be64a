import { createRequire } from 'node:module';
import type * as ParquetWasm from 'parquet-wasm/node';

let module: Promise<typeof ParquetWasm> | undefined;

/**
 * parquet-wasm, loaded on first use: compiling its wasm module costs every process and worker
 * thread tens of milliseconds, and most runs (WARC or JSONL in, token shards out) never touch it.
 * `require`d rather than imported: imported from ESM, Node scans its 100 KB CommonJS glue with the
 * CJS export lexer in every thread that loads it, and V8 optimizes the lexer each time (~150 ms of
 * CPU per thread, `--trace-opt`).
 */
export function parquetWasm(): Promise<typeof ParquetWasm> {
  module ??= Promise.resolve().then(() => createRequire(import.meta.url)('parquet-wasm/node') as typeof ParquetWasm);
  return module;
}
