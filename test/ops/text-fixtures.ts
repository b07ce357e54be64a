import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Field, Utf8 } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { makeBatch } from '../../src/arrow/batch.ts';
import { utf8Vector } from '../../src/arrow/utf8.ts';
import type { AnyOperator, OperatorResult } from '../../src/ops/operator.ts';
import { parseOptions } from '../../src/ops/operator.ts';

/** Shared by the text-operator tests: real documents from fixtures/corpus and batch plumbing. */
export interface CorpusDoc { id: string; text: string; label?: number }

export function readCorpus(name: string): CorpusDoc[] {
  const path = fileURLToPath(new URL(`../../fixtures/corpus/${name}`, import.meta.url));
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0).map((l, i) => {
    const d = JSON.parse(l) as { id?: string; url?: string; text: string; label?: number };
    return { id: d.id ?? d.url ?? String(i), text: d.text, label: d.label };
  });
}

export function textBatch(texts: ReadonlyArray<string | null>, column = 'text'): RecordBatch {
  return makeBatch([{ field: new Field(column, new Utf8(), true), data: utf8Vector(texts) }], texts.length);
}

/** Runs an operator the way a worker does: parse options, init once, apply to one batch. */
export async function runOperator(op: AnyOperator, options: unknown, batch: RecordBatch): Promise<OperatorResult> {
  const parsed = parseOptions(op, options);
  const state = await op.init(parsed);
  return op.apply(state, batch, { heartbeat: () => {} });
}

/** A 1 MB document without a single newline: realistic words, repeated sentence by sentence. */
export function oneMegabyteLine(): string {
  const words = readCorpus('c4-sample.01.jsonl').map((d) => d.text).join(' ').split(/\s+/);
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 1_000_000; i++) {
    const w = words[(i * 7919) % words.length]!;
    parts.push(w);
    size += w.length + 1;
  }
  return parts.join(' ');
}
