export * from './blob-store.ts';
export { LocalBlobStore, DEFAULT_CHUNK_SIZE, type LocalBlobStoreOptions } from './local-blob-store.ts';
export { writeAtomically, writeFileAtomic, type AtomicWriteOptions } from './atomic-write.ts';
export { MemoryBlobStore } from './memory-blob-store.ts';
