import { describe, expect, it } from 'vitest';
import { isJsSpaceCode } from '../../src/ops/text/chars.ts';

describe('isJsSpaceCode', () => {
  it("agrees with String.prototype.trim() on every BMP code unit", () => {
    const wrong: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      const trimmed = (`a${ch}`).trim().length === 1 && (`${ch}a`).trim().length === 1;
      if (trimmed !== isJsSpaceCode(c)) wrong.push(c.toString(16));
    }
    expect(wrong).toEqual([]);
  });
});
