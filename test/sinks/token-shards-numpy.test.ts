import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTokenShardWriter, readTokenShards } from '../../src/io/token-shards/writer.ts';
import { tempDir, tokenizedBatches, writerOptions } from './token-shards-helpers.ts';

const numpy = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
const hasNumpy = numpy.status === 0;
if (!hasNumpy) {
  console.warn(`skipping the numpy reader test: \`python3 -c "import numpy"\` failed (${numpy.error?.message ?? numpy.stderr.trim()})`);
}

/** The ```python block of docs/token-format.md, run as written. */
function docReader(): string {
  const md = readFileSync(new URL('../../docs/token-format.md', import.meta.url), 'utf8');
  const block = /```python\n([\s\S]*?)```/.exec(md)?.[1];
  if (!block) throw new Error('docs/token-format.md has no ```python block');
  return block;
}

describe('numpy reader from docs/token-format.md', () => {
  it('the reader block is at most a dozen lines of code', () => {
    const code = docReader().split('\n').filter((l) => l.trim() && !l.trim().startsWith('"""'));
    expect(code.length).toBeLessThanOrEqual(12);
  });

  for (const enc of ['gpt2', 'cl100k_base'] as const) {
    it.skipIf(!hasNumpy)(`${enc}: np.memmap reader yields exactly the documents sluice wrote`, async () => {
      const { batches, backend, eos } = await tokenizedBatches(enc);
      const dir = tempDir();
      const w = createTokenShardWriter(dir, writerOptions(backend, eos, { maxTokensPerShard: 7000, shuffleSeed: 11 }));
      for (const b of batches) await w.write(b);
      await w.close();
      const script = join(tempDir(), 'read.py');
      writeFileSync(script, `${docReader()}\nimport sys\nfor doc in read_token_shards(sys.argv[1]):\n    print(" ".join(map(str, doc.tolist())))\n`);
      const lines = execFileSync('python3', [script, dir], { encoding: 'utf8', maxBuffer: 64 << 20 }).trimEnd().split('\n');
      const expected: string[] = [];
      for await (const d of readTokenShards(dir)) expected.push(Array.from(d.tokens).join(' '));
      expect(lines).toEqual(expected);
      expect(lines.length).toBe(38);
    });
  }
});
