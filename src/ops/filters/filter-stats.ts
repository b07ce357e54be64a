import { Float64, makeData } from 'apache-arrow';
import type { Data } from 'apache-arrow';

/**
 * Where a filter's check records the statistics its verdict rests on. In drop mode `all` is false
 * and `set` records nothing, so checks keep their early exits; in tag mode (`DataFrame.tag`)
 * every statistic is measured, so a later pipeline can apply other thresholds to them.
 */
export interface FilterStats<Stat extends string = string> {
  /** True in tag mode: measure every statistic, even after a check has already failed. */
  readonly all: boolean;
  set(stat: Stat, value: number): void;
}

/** The recorder of drop mode. */
export const NO_STATS: FilterStats = { all: false, set: () => {} };

/**
 * One batch's statistics as Float64 columns, in tag mode. A statistic a document never reached
 * (e.g. the mean word length of a text without words) is null.
 */
export class StatColumns implements FilterStats {
  readonly all = true;
  private row = 0;
  private readonly values = new Map<string, Float64Array>();

  constructor(private readonly stats: readonly string[], rows: number, private readonly owner: string) {
    for (const s of stats) this.values.set(s, new Float64Array(rows).fill(Number.NaN));
  }

  /** Points the recorder at a document; returns itself so a check can be handed `stats.at(i)`. */
  at(row: number): this {
    this.row = row;
    return this;
  }

  set(stat: string, value: number): void {
    const column = this.values.get(stat);
    // A check recording a statistic it did not declare is a bug, as an undeclared reason is.
    if (!column) throw new Error(`${this.owner}: undeclared statistic "${stat}" (declared: ${this.stats.join(', ')})`);
    column[this.row] = value;
  }

  /** `[stat, column]` pairs in declaration order. */
  columns(): [string, Data<Float64>][] {
    return this.stats.map((s) => [s, nullWhereNaN(this.values.get(s)!)]);
  }
}

function nullWhereNaN(values: Float64Array): Data<Float64> {
  const n = values.length;
  const valid = new Uint8Array((n + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(values[i])) nullCount++;
    else valid[i >> 3]! |= 1 << (i & 7);
  }
  return makeData({ type: new Float64(), length: n, data: values, nullCount, nullBitmap: nullCount ? valid : undefined });
}
