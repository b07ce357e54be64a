/**
 * Imports every built-in operator module so that each registers itself by name (workers import
 * this before running tasks), and re-exports them for pipeline scripts. Importing is cheap: models,
 * ranks and word lists load in each operator's `init`, once per worker.
 */
export { textLength } from './filters/text-length.ts';
export { regexLineFilter } from './transforms/regex-line-filter.ts';
export { urlFilter } from './filters/url-filter/url-filter.ts';
export { extractText } from './extract/extract-text.ts';
export { languageId } from './filters/language-id.ts';
export { gopherRepetition } from './filters/gopher-repetition.ts';
export { gopherQuality } from './filters/gopher-quality.ts';
export { c4Quality } from './filters/c4-quality.ts';
export { finewebQuality } from './filters/fineweb-quality.ts';
export { lineCorrections } from './transforms/line-corrections.ts';
export { pii } from './transforms/pii.ts';
export { tokenize } from './tokenize/tokenize.ts';
export { dedupFilter } from './dedup/dedup-filter.ts';
export { minhash, exact, byUrl } from './dedup/specs.ts';
export { substrings } from './dedup/substrings-options.ts';
export { substringCut } from './dedup/substrings-op.ts';
export { tag } from './tag.ts';

import { markBuiltinOperators } from './operator.ts';

// Runs after every export above has been evaluated (ESM evaluates a module's imports first).
markBuiltinOperators();
