import { parseOptions, type AnyOperator } from '../../src/ops/operator.ts';
import { regexLineFilter } from '../../src/ops/transforms/regex-line-filter.ts';
import { textLength } from '../../src/ops/filters/text-length.ts';
import type { OpChoice } from './random-pipelines.ts';

function choice(op: AnyOperator, raw: Record<string, unknown>, requires: OpChoice['requires'], produces: OpChoice['produces']): OpChoice {
  const options = parseOptions(op, raw) as Record<string, unknown>;
  return { op: op.name, options, decl: op.declare(options), requires, produces };
}

/** Built-in operators random pipelines may apply (registered in every worker thread too). */
export const BUILTIN_OP_CHOICES: readonly OpChoice[] = [
  choice(textLength as unknown as AnyOperator, { column: 's', output: 's_len', unit: 'chars' }, { s: 'str' }, { s_len: 'num' }),
  choice(regexLineFilter as unknown as AnyOperator, { column: 's', pattern: '^a' }, { s: 'str' }, { s: 'str' }),
  choice(regexLineFilter as unknown as AnyOperator, { column: 's', pattern: 'b$' }, { s: 'str' }, { s: 'str' }),
];
