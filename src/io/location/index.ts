export { compareUtf8, checkRelativePath, type Location, type LocationEntry, type LocationStat } from './location.ts';
export { LocalLocation } from './local-location.ts';
export type { S3LocationOptions } from './s3-location.ts';
export { openLocation, openFile } from './open-location.ts';
export { openPendingFile, type PendingFile } from './pending-file.ts';
export { removeTree } from './remove-tree.ts';
export { readInputList, type InputListOptions } from './input-list.ts';
