import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readParquet } from '../../src/dataframe/read.ts';
import { loadTokenizer } from '../../src/ops/tokenize/backend.ts';
import { createTokenShardWriter, readTokenShardManifest } from '../../src/io/token-shards/writer.ts';
import { tempDir, tokenizedBatches, writerOptions } from './token-shards-helpers.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const numpy = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
const hasNumpy = numpy.status === 0;
if (!hasNumpy) {
  console.warn(`skipping the Megatron numpy reader test: \`python3 -c "import numpy"\` failed (${numpy.error?.message ?? numpy.stderr.trim()})`);
}

/**
 * The ```python block of docs/token-format.md's Megatron section: a reader written from Megatron's
 * published layout, sharing no code with the writer. Run over every shard the manifest lists.
 */
function megatronReader(): string {
  const md = readFileSync(join(ROOT, 'docs/token-format.md'), 'utf8');
  const section = md.slice(md.indexOf('## Megatron-LM layout'));
  const block = /```python\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('docs/token-format.md has no ```python block in its Megatron section');
  return `${block}
import json, sys
out = sys.argv[1]
for shard in json.load(open(f"{out}/manifest.json"))["shards"]:
    for doc in read_megatron(f"{out}/{shard['file'][:-len('.bin')]}"):
        print(" ".join(map(str, doc.tolist())))
`;
}

/** One line of space-separated ids per document, as the python reader decodes them. */
function pythonDocuments(dir: string): string[] {
  const script = join(tempDir(), 'read_megatron.py');
  writeFileSync(script, megatronReader());
  const out = execFileSync('python3', [script, dir], { encoding: 'utf8', maxBuffer: 64 << 20 }).trimEnd();
  return out === '' ? [] : out.split('\n');
}

describe('Megatron .bin/.idx read by numpy', () => {
  for (const [enc, dtype] of [['gpt2', 'uint16'], ['cl100k_base', 'int32']] as const) {
    it.skipIf(!hasNumpy)(`${enc}: the reader decodes exactly the texts tokenized again, + EOS (${dtype})`, async () => {
      const { texts, batches, backend, eos } = await tokenizedBatches(enc);
      const dir = tempDir();
      const w = createTokenShardWriter(dir, writerOptions(backend, eos, { layout: 'megatron', maxTokensPerShard: 7000 }));
      for (const b of batches) await w.write(b);
      const m = await w.close();
      expect(m).toMatchObject({ layout: 'megatron', dtype, totalDocuments: texts.length });
      expect(m.shards.length).toBeGreaterThan(1);
      expect(readdirSync(dir).filter((n) => n !== 'manifest.json').sort())
        .toEqual(m.shards.flatMap((s) => [s.file, s.index]).sort());
      expect(pythonDocuments(dir)).toEqual(texts.map((t) => [...backend.encodeOrdinary(t), eos].join(' ')));
    });
  }

  it.skipIf(!hasNumpy)('a shuffled output holds the same documents in another order', async () => {
    const { texts, batches, backend, eos } = await tokenizedBatches('gpt2');
    const dir = tempDir();
    const w = createTokenShardWriter(dir, writerOptions(backend, eos, { layout: 'megatron', maxTokensPerShard: 7000, shuffleSeed: 11 }));
    for (const b of batches) await w.write(b);
    await w.close();
    const expected = texts.map((t) => [...backend.encodeOrdinary(t), eos].join(' '));
    const got = pythonDocuments(dir);
    expect(got).not.toEqual(expected);
    expect([...got].sort()).toEqual([...expected].sort());
  });

  it.skipIf(!hasNumpy)('sluice run: same bytes with 1 and 3 workers, decoding to the kept texts', async () => {
    const outs = [1, 3].map((workers) => {
      const out = tempDir();
      const r = spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), 'run', join(ROOT, 'pipelines/refinedweb.ts'),
        '--input', join(ROOT, 'fixtures/warc'), '--output', out, '--workers', String(workers),
        '--option', 'dedup=off', '--option', 'layout=megatron', '--option', 'maxTokensPerShard=8000'], { cwd: ROOT, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return join(out, 'tokens');
    });
    const files = readdirSync(outs[0]!).sort();
    expect(files.some((n) => n.endsWith('.ds'))).toBe(false);
    expect(readdirSync(outs[1]!).sort()).toEqual(files);
    for (const n of files.filter((f) => f !== 'manifest.json')) {
      expect(readFileSync(join(outs[1]!, n)).equals(readFileSync(join(outs[0]!, n))), n).toBe(true);
    }
    const m = await readTokenShardManifest(outs[0]!);
    expect(m.layout).toBe('megatron');
    expect(m.shards.length).toBeGreaterThan(1);
    const texts = (await readParquet(join(outs[0]!, '..', 'documents')).collect()).getChild('text')!.toArray() as string[];
    expect(texts.length).toBe(m.totalDocuments);
    const gpt2 = await loadTokenizer('gpt2');
    expect(pythonDocuments(outs[0]!)).toEqual(texts.map((t) => [...gpt2.encodeOrdinary(t), m.eosId].join(' ')));
  });
});
