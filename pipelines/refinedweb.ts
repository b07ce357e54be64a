import {
  byUrl, definePipeline, extractText, gopherQuality, gopherRepetition, languageId, lineCorrections, minhash, readWarc,
  substrings, TIKTOKEN_ENCODINGS, tokenize, tokensSink, urlFilter, type PipelineContext, type TokenizerSpec,
} from 'sluice';

/**
 * RefinedWeb's Macrodata Refinement (Penedo et al. 2023, arXiv 2306.01116, §3 and App. G) from WARC
 * files to training-ready token shards:
 *
 *   WARC → URL filter → main-text extraction → language ID (en, score ≥ 0.65) → Gopher repetition
 *   → Gopher quality → line-wise corrections → MinHash dedup → exact substring dedup (spans of ≥ 50
 *   GPT-2 tokens seen twice cut from every copy, §G.3) → URL dedup (newest crawl of a URL kept)
 *   → tokenize → token shards (`<out>/tokens/`)
 *
 * plus a Parquet copy of the kept documents (text, url, language, scores, token count) in
 * `<out>/documents/` for inspection. Defaults and their drift from datatrove: docs/recipe-refinedweb.md.
 * The optimizer may reorder the pure filters (by cost and selectivity); the kept set is the same.
 *
 * Options (`--option key=value`):
 * - `languages`: comma-separated fastText labels to keep (default `en`; empty keeps every language)
 * - `minLanguageScore`: language score threshold (default 0.65)
 * - `tokenizer`: `gpt2` (default), `r50k_base`, `cl100k_base`, `o200k_base`, or a path to a Hugging Face `tokenizer.json`
 * - `maxTokensPerShard`: shard size limit in tokens (default 2^30)
 * - `shuffleSeed`: shuffle documents across shards deterministically with this seed (default: input
 *   order; `documents/` always stays in input order)
 * - `dedup`: MinHash preset, `refinedweb` (default: 5-grams, 9,000 hashes in 450 bands of 20, as
 *   the paper's §G.3), `fineweb` (14 bands of 8, much cheaper), or `off`
 * - `substrings`: shortest repeated span cut by exact substring dedup, in GPT-2 tokens (default 50,
 *   as the paper), or `off`
 * - `urlDedup`: which crawl of a URL to keep, `newest` (default, by WARC-Date) or `first`, or `off`
 * - `blocklistDir`: a UT1-layout blocklist directory for the URL filter (not shipped)
 * - `layout`: `datatrove` (default, `.ds` shards) or `megatron` (Megatron-LM `.bin` + `.idx` pairs)
 *
 * Run: `npx sluice run pipelines/refinedweb.ts --input fixtures/warc --output out/`
 */
export default definePipeline((ctx) => {
  const o = options(ctx);
  const filtered = readWarc(ctx.files('**/*.{warc,warc.gz}'))
    .apply(urlFilter, o.blocklistDir ? { blocklistDir: o.blocklistDir } : {})
    .apply(extractText)
    .apply(languageId, { languages: o.languages, minScore: o.minLanguageScore })
    .apply(gopherRepetition)
    .apply(gopherQuality)
    .apply(lineCorrections);
  const fuzzy = o.dedup === 'off' ? filtered : filtered.dedup(minhash({ preset: o.dedup }));
  // The paper's exact step works on GPT-2 tokens whatever the training tokenizer.
  const exact = o.substrings === 'off' ? fuzzy : fuzzy.dedup(substrings({ minTokens: o.substrings, tokenizer: 'gpt2', keep: 'none' }));
  const deduped = o.urlDedup === 'off' ? exact : exact.dedup(byUrl({ keep: o.urlDedup }));
  const frame = deduped
    .apply(tokenize, { tokenizer: o.tokenizer })
    .select('id', 'url', 'date', 'text', 'language', 'language_score', 'line_corrections_removed_frac', 'substr_removed_tokens', 'token_count', 'tokens');
  return {
    frame,
    sink: tokensSink('tokens', {
      documents: `${ctx.output}/documents`,
      ...(o.maxTokensPerShard !== undefined ? { maxTokensPerShard: o.maxTokensPerShard } : {}),
      ...(o.shuffleSeed !== undefined ? { shuffleSeed: o.shuffleSeed } : {}),
      ...(o.layout !== undefined ? { layout: o.layout } : {}),
    }),
  };
});

interface RecipeOptions {
  languages: string[];
  minLanguageScore: number;
  tokenizer: TokenizerSpec;
  maxTokensPerShard?: number;
  shuffleSeed?: number;
  blocklistDir?: string;
  layout?: 'datatrove' | 'megatron';
  dedup: 'refinedweb' | 'fineweb' | 'off';
  substrings: number | 'off';
  urlDedup: 'newest' | 'first' | 'off';
}

function options(ctx: PipelineContext): RecipeOptions {
  const known = new Set(['languages', 'minLanguageScore', 'tokenizer', 'maxTokensPerShard', 'shuffleSeed', 'blocklistDir', 'dedup', 'layout', 'substrings', 'urlDedup']);
  for (const k of Object.keys(ctx.options)) {
    if (!known.has(k)) throw new Error(`refinedweb: unknown option "${k}" (known: ${[...known].join(', ')})`);
  }
  const { languages, minLanguageScore, tokenizer, maxTokensPerShard, shuffleSeed, blocklistDir, dedup = 'refinedweb', layout, substrings: minTokens = '50', urlDedup = 'newest' } = ctx.options;
  if (layout !== undefined && layout !== 'datatrove' && layout !== 'megatron') throw new Error(`refinedweb: option layout must be datatrove or megatron, got "${layout}"`);
  if (dedup !== 'refinedweb' && dedup !== 'fineweb' && dedup !== 'off') throw new Error(`refinedweb: option dedup must be refinedweb, fineweb or off, got "${dedup}"`);
  if (urlDedup !== 'newest' && urlDedup !== 'first' && urlDedup !== 'off') throw new Error(`refinedweb: option urlDedup must be newest, first or off, got "${urlDedup}"`);
  return {
    languages: languages === undefined ? ['en'] : languages.split(',').map((s) => s.trim()).filter(Boolean),
    minLanguageScore: minLanguageScore === undefined ? 0.65 : number('minLanguageScore', minLanguageScore),
    tokenizer: tokenizer === undefined ? 'gpt2'
      : (TIKTOKEN_ENCODINGS as readonly string[]).includes(tokenizer) ? (tokenizer as TokenizerSpec) : { huggingface: tokenizer },
    ...(maxTokensPerShard !== undefined ? { maxTokensPerShard: number('maxTokensPerShard', maxTokensPerShard) } : {}),
    ...(shuffleSeed !== undefined ? { shuffleSeed: number('shuffleSeed', shuffleSeed) } : {}),
    ...(blocklistDir !== undefined ? { blocklistDir } : {}),
    ...(layout !== undefined ? { layout } : {}),
    dedup,
    substrings: minTokens === 'off' ? 'off' : number('substrings', minTokens),
    urlDedup,
  };
}

function number(name: string, v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new Error(`refinedweb: option ${name} must be a number, got "${v}"`);
  return n;
}
