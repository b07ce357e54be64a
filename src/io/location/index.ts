export { compareUtf8, checkRelativePath, type Location, type LocationEntry, type LocationStat } from './location.ts';
export { LocalLocation } from './local-location.ts';
export type { S3LocationOptions } from './s3-location.ts';
export { openLocation, openFile } from './open-location.ts';
export { readInputList, type InputListOptions } from './input-list.ts';
export { writeFileAt, readBytesAt, readTextAt, statAt, deleteAt, listUnder, deleteTree } from './file-uri.ts';
export { forgetInputStats, isRemoteInput, inputSize, listInputs, readInputBytes, readInputRange, statInput, type InputReadOptions, type StatOptions } from './input-file.ts';
export { globBase, globToRegExp, isGlob } from './glob.ts';
