export * from './blob-store.ts';
export { LocalBlobStore, DEFAULT_CHUNK_SIZE, type LocalBlobStoreOptions } from './local-blob-store.ts';
export { writeAtomically, writeFileAtomic, type AtomicWriteOptions } from './atomic-write.ts';
export { MemoryBlobStore } from './memory-blob-store.ts';
// The S3 backend is not re-exported: importing it loads the AWS SDK. Import './s3/index.ts' where S3 is used.
export type { S3BlobStoreOptions } from './s3/s3-blob-store.ts';
export type { S3ConnectionOptions } from './s3/s3-connection.ts';
export { openBlobStore, type OpenBlobStoreOptions } from './open-blob-store.ts';
export { isS3Uri, parseS3Uri, formatS3Uri, joinUri, localPath, type S3Uri } from './uri.ts';
export { digestOf, digestStream, StreamDigest, type FileDigest } from './file-digest.ts';
