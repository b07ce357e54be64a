import { describe, expect, it } from 'vitest';
import { pipelineContext } from '../../src/cli/pipeline-module.ts';
// The pipeline imports 'sluice' (vitest resolves it to the sources; tsc to the package's types).
import type { DataFrame } from 'sluice';
import englishQuality from '../../pipelines/english-quality.ts';

describe('pipelines/english-quality.ts (the README example)', () => {
  it('keeps English documents that pass the Gopher quality filter, each once', async () => {
    const ctx = pipelineContext('fixtures/corpus', '.tmp/unused', {});
    const frame = (await englishQuality(ctx)) as DataFrame;
    const kept = await frame.collect();
    expect(kept.schema.fields.map((f) => f.name)).toEqual(['id', 'text', 'language_score']);
    expect(kept.numRows).toBeGreaterThan(20);
    expect(kept.numRows).toBeLessThan(80);
    const scores = kept.getChild('language_score')!.toArray() as Float64Array;
    expect(Math.min(...scores)).toBeGreaterThanOrEqual(0.65);
    const texts = kept.getChild('text')!.toArray() as string[];
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts.every((t) => t.length > 200)).toBe(true);
  });
});
