import type { ShardLayout, ShardLayoutName } from './format.ts';
import { shardStem } from './format.ts';
import { megatronLayout } from './megatron.ts';

/** datatrove's `.ds` + `.ds.index` (docs/token-format.md): the default layout. */
export const datatroveLayout: ShardLayout = {
  name: 'datatrove',
  dtypes: ['uint16', 'uint32'],
  // uint16 whenever every id fits (vocab ≤ 65,536), halving disk and page-cache use.
  dtypeFor: (vocabSize) => (vocabSize <= 65_536 ? 'uint16' : 'uint32'),
  fileNames: (n) => ({ file: `${shardStem(n)}.ds`, index: `${shardStem(n)}.ds.index` }),
  files: /^tokens-\d{5,}\.ds(\.index)?$/,
  encodeIndex: (ends) => new Uint8Array(new BigUint64Array(ends.map((e) => BigInt(e))).buffer),
};

export const SHARD_LAYOUTS: Record<ShardLayoutName, ShardLayout> = { datatrove: datatroveLayout, megatron: megatronLayout };
