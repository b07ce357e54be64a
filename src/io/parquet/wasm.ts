import type * as ParquetWasm from 'parquet-wasm/node';

let module: Promise<typeof ParquetWasm> | undefined;

/**
 * parquet-wasm, loaded on first use: compiling its wasm module costs every process and worker
 * thread tens of milliseconds, and most runs (WARC or JSONL in, token shards out) never touch it.
 */
export function parquetWasm(): Promise<typeof ParquetWasm> {
  module ??= import('parquet-wasm/node');
  return module;
}
