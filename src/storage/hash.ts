import xxhash, { type XXHashAPI } from 'xxhash-wasm';

let api: Promise<XXHashAPI> | undefined;

/** The xxhash-wasm instance, instantiated once per thread (it compiles a small wasm module). */
export function hasher(): Promise<XXHashAPI> {
  api ??= xxhash();
  return api;
}

/** xxhash64 of the bytes as 16 lowercase hex digits: the address of a chunk. */
export function hex64(h: XXHashAPI, bytes: Uint8Array): string {
  return h.h64Raw(bytes).toString(16).padStart(16, '0');
}
