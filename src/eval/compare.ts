import type { ArithOp, CompareOp } from '../plan/expr.ts';
import { andValid, broadcast, describe } from './values.ts';
import type { NumArray, Val } from './values.ts';
import { asBuffer } from '../arrow/utf8.ts';

type Ord = number;

function scalarCompare(op: CompareOp, a: number | string | boolean, b: number | string | boolean): boolean {
  switch (op) {
    case 'eq': return a === b;
    case 'neq': return a !== b;
    case 'lt': return a < b;
    case 'lte': return a <= b;
    case 'gt': return a > b;
    case 'gte': return a >= b;
  }
}

const FLIP: Record<CompareOp, CompareOp> = { eq: 'eq', neq: 'neq', lt: 'gt', lte: 'gte', gt: 'lt', gte: 'lte' };

function numVsScalar(op: CompareOp, a: NumArray, s: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  switch (op) {
    case 'eq': for (let i = 0; i < n; i++) out[i] = a[i] === s ? 1 : 0; break;
    case 'neq': for (let i = 0; i < n; i++) out[i] = a[i] !== s ? 1 : 0; break;
    case 'lt': for (let i = 0; i < n; i++) out[i] = a[i]! < s ? 1 : 0; break;
    case 'lte': for (let i = 0; i < n; i++) out[i] = a[i]! <= s ? 1 : 0; break;
    case 'gt': for (let i = 0; i < n; i++) out[i] = a[i]! > s ? 1 : 0; break;
    case 'gte': for (let i = 0; i < n; i++) out[i] = a[i]! >= s ? 1 : 0; break;
  }
  return out;
}

function ordToBool(op: CompareOp, c: Ord): number {
  switch (op) {
    case 'eq': return c === 0 ? 1 : 0;
    case 'neq': return c !== 0 ? 1 : 0;
    case 'lt': return c < 0 ? 1 : 0;
    case 'lte': return c <= 0 ? 1 : 0;
    case 'gt': return c > 0 ? 1 : 0;
    case 'gte': return c >= 0 ? 1 : 0;
  }
}

/** Compares two values row by row; a null on either side gives null (SQL semantics). */
export function compare(op: CompareOp, l: Val, r: Val, n: number): Val {
  if (l.t === 'scalar' && r.t === 'scalar') {
    if (l.value === null || r.value === null) return { t: 'scalar', value: null };
    checkSameType(l, r, typeof l.value === typeof r.value);
    return { t: 'scalar', value: scalarCompare(op, l.value, r.value) };
  }
  if (l.t === 'scalar') return compare(FLIP[op], r, l, n);
  if (r.t === 'scalar' && r.value === null) return { t: 'scalar', value: null };
  if (l.t === 'num') {
    if (r.t === 'scalar') {
      checkSameType(l, r, typeof r.value === 'number');
      return { t: 'bool', v: numVsScalar(op, l.v, r.value as number, n), valid: l.valid };
    }
    checkSameType(l, r, r.t === 'num');
    const a = l.v, b = (r as { v: NumArray }).v;
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = ordToBool(op, a[i]! < b[i]! ? -1 : a[i]! > b[i]! ? 1 : a[i] === b[i] ? 0 : NaN);
    return { t: 'bool', v: out, valid: andValid(l.valid, r.valid) };
  }
  if (l.t === 'bool') {
    const rv = r.t === 'scalar' ? broadcast(r.value as boolean, n) : r;
    checkSameType(l, r, rv.t === 'bool');
    const a = l.v, b = (rv as { v: Uint8Array }).v;
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = ordToBool(op, a[i]! - b[i]!);
    return { t: 'bool', v: out, valid: andValid(l.valid, rv.t === 'bool' ? rv.valid : null) };
  }
  // Strings.
  if (r.t === 'scalar') {
    checkSameType(l, r, typeof r.value === 'string');
    if (op === 'eq' || op === 'neq') return { t: 'bool', v: stringEquals(l, r.value as string, n, op === 'neq'), valid: l.valid };
    const s = r.value as string;
    const buf = asBuffer(l.s.bytes), o = l.s.offsets;
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const x = buf.toString('utf8', o[i]!, o[i + 1]!);
      out[i] = ordToBool(op, x < s ? -1 : x > s ? 1 : 0);
    }
    return { t: 'bool', v: out, valid: l.valid };
  }
  checkSameType(l, r, r.t === 'str');
  const rs = (r as Extract<Val, { t: 'str' }>).s;
  const lb = asBuffer(l.s.bytes), rb = asBuffer(rs.bytes);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x = lb.toString('utf8', l.s.offsets[i]!, l.s.offsets[i + 1]!);
    const y = rb.toString('utf8', rs.offsets[i]!, rs.offsets[i + 1]!);
    out[i] = ordToBool(op, x < y ? -1 : x > y ? 1 : 0);
  }
  return { t: 'bool', v: out, valid: andValid(l.valid, r.valid) };
}

function stringEquals(l: Extract<Val, { t: 'str' }>, s: string, n: number, negate: boolean): Uint8Array {
  const pat = Buffer.from(s, 'utf8');
  const plen = pat.length;
  const bytes = l.s.bytes, o = l.s.offsets;
  const out = new Uint8Array(n);
  const yes = negate ? 0 : 1, no = negate ? 1 : 0;
  for (let i = 0; i < n; i++) {
    const st = o[i]!;
    if (o[i + 1]! - st !== plen) { out[i] = no; continue; }
    let eq = true;
    for (let k = 0; k < plen; k++) if (bytes[st + k] !== pat[k]) { eq = false; break; }
    out[i] = eq ? yes : no;
  }
  return out;
}

function checkSameType(l: Val, r: Val, ok: boolean): void {
  if (!ok) throw new Error(`cannot compare ${describe(l)} with ${describe(r)}`);
}

function arithScalar(op: ArithOp, a: number, b: number): number | null {
  switch (op) {
    case 'add': return a + b;
    case 'sub': return a - b;
    case 'mul': return a * b;
    case 'div': return b === 0 ? null : a / b;
    case 'mod': return b === 0 ? null : a % b;
  }
}

/** Arithmetic over numbers in Float64; division or modulo by zero gives null (as in SQL). */
export function arith(op: ArithOp, l: Val, r: Val, n: number): Val {
  const isNum = (v: Val) => v.t === 'num' || (v.t === 'scalar' && (v.value === null || typeof v.value === 'number'));
  if (!isNum(l) || !isNum(r)) throw new Error(`arithmetic "${op}" needs numbers, got ${describe(l)} and ${describe(r)}`);
  if (l.t === 'scalar' && r.t === 'scalar') {
    if (l.value === null || r.value === null) return { t: 'scalar', value: null };
    return { t: 'scalar', value: arithScalar(op, l.value as number, r.value as number) };
  }
  if ((l.t === 'scalar' && l.value === null) || (r.t === 'scalar' && r.value === null)) return { t: 'scalar', value: null };
  const a = l.t === 'num' ? l.v : new Float64Array(n).fill((l as Extract<Val, { t: 'scalar' }>).value as number);
  const b = r.t === 'num' ? r.v : new Float64Array(n).fill((r as Extract<Val, { t: 'scalar' }>).value as number);
  const out = new Float64Array(n);
  let valid = andValid(l.t === 'num' ? l.valid : null, r.t === 'num' ? r.valid : null);
  switch (op) {
    case 'add': for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!; break;
    case 'sub': for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!; break;
    case 'mul': for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!; break;
    case 'div': case 'mod': {
      let zero: Uint8Array | null = null;
      for (let i = 0; i < n; i++) {
        if (b[i] === 0) { zero ??= new Uint8Array(n).fill(1); zero[i] = 0; continue; }
        out[i] = op === 'div' ? a[i]! / b[i]! : a[i]! % b[i]!;
      }
      valid = andValid(valid, zero);
      break;
    }
  }
  return { t: 'num', v: out, valid };
}
