import { describe, expect, it } from 'vitest';
import { megatronLayout } from '../../src/io/token-shards/megatron.ts';
import { createTokenShardWriter, readTokenShards } from '../../src/io/token-shards/writer.ts';
import { tempDir, tokenizedBatches, writerOptions } from './token-shards-helpers.ts';

describe('megatron layout', () => {
  it('encodes the .idx header, lengths, byte pointers and document indices as Megatron does', () => {
    const bytes = megatronLayout.encodeIndex([3, 5, 9], 'int32');
    const view = new DataView(bytes.buffer);
    expect(new TextDecoder().decode(bytes.subarray(0, 9))).toBe('MMIDIDX\x00\x00');
    expect(view.getBigUint64(9, true)).toBe(1n);
    expect(view.getUint8(17)).toBe(4);
    expect(view.getBigUint64(18, true)).toBe(3n);
    expect(view.getBigUint64(26, true)).toBe(4n);
    expect([0, 1, 2].map((i) => view.getInt32(34 + 4 * i, true))).toEqual([3, 2, 4]);
    expect([0, 1, 2].map((i) => view.getBigInt64(46 + 8 * i, true))).toEqual([0n, 12n, 20n]);
    expect([0, 1, 2, 3].map((i) => view.getBigInt64(70 + 8 * i, true))).toEqual([0n, 1n, 2n, 3n]);
    expect(bytes.length).toBe(70 + 32);
    expect(megatronLayout.encodeIndex([3], 'uint16')[17]).toBe(8);
  });

  it('picks dtypes by Megatron\'s rule and refuses ones Megatron cannot read', async () => {
    expect(megatronLayout.dtypeFor(50_257)).toBe('uint16');
    expect(megatronLayout.dtypeFor(65_500)).toBe('int32');
    const { backend, eos } = await tokenizedBatches('gpt2');
    expect(() => createTokenShardWriter(tempDir(), writerOptions(backend, eos, { layout: 'megatron', dtype: 'uint32' })))
      .toThrow(/megatron layout has no dtype uint32/);
  });

  it('readTokenShards names the Megatron reader instead of misreading .idx files', async () => {
    const { batches, backend, eos } = await tokenizedBatches('gpt2');
    const dir = tempDir();
    const w = createTokenShardWriter(dir, writerOptions(backend, eos, { layout: 'megatron' }));
    for (const b of batches) await w.write(b);
    await w.close();
    await expect(readTokenShards(dir).next()).rejects.toThrow(/Megatron \.bin\/\.idx/);
  });
});
