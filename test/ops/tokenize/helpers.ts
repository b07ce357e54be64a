import { readFileSync } from 'node:fs';
import { Field, Utf8 } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { makeBatch } from '../../../src/arrow/batch.ts';
import { utf8Vector } from '../../../src/arrow/utf8.ts';
import type { ApplyContext } from '../../../src/ops/operator.ts';

export const FIXTURES = new URL('../../../fixtures/tokenizers/', import.meta.url).pathname;

/** 38 real web documents (English, CJK, Cyrillic, Arabic, BOMs, emoji) from fixtures/tokenizers. */
export function realDocs(): { id: string; text: string }[] {
  return readFileSync(`${FIXTURES}real-docs.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; text: string });
}

export function textBatch(texts: ReadonlyArray<string | null>, extra: Record<string, string[]> = {}): RecordBatch {
  const cols = [{ field: new Field('text', new Utf8(), true), data: utf8Vector(texts) }];
  for (const [name, values] of Object.entries(extra)) cols.push({ field: new Field(name, new Utf8(), true), data: utf8Vector(values) });
  return makeBatch(cols, texts.length);
}

export const noHeartbeat: ApplyContext = { heartbeat: () => {} };

export const SHARED_GPT2 = '/work/shared/data/tokenizers/gpt2.tokenizer.json';
