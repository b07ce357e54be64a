/**
 * Imports every built-in operator module so that each registers itself by name (workers import
 * this before running tasks), and re-exports them for pipeline scripts. Importing is cheap: models,
 * ranks and word lists load in each operator's `init`, once per worker.
 */
export { textLength } from './text-length.ts';
export { regexLineFilter } from './regex-line-filter.ts';
export { urlFilter } from './url-filter.ts';
export { extractText } from './extract-text.ts';
export { languageId } from './language-id.ts';
export { gopherRepetition } from './gopher-repetition.ts';
export { gopherQuality } from './gopher-quality.ts';
export { c4Quality } from './c4-filters.ts';
export { finewebQuality } from './fineweb-quality.ts';
export { lineCorrections } from './line-corrections.ts';
export { tokenize } from './tokenize.ts';
export { dedupFilter } from './dedup/filter-op.ts';
export { minhash, exact, byUrl } from './dedup/specs.ts';
