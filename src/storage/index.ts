export * from './blob-store.ts';
export { LocalBlobStore, DEFAULT_CHUNK_SIZE, type LocalBlobStoreOptions } from './local-blob-store.ts';
