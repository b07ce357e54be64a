import type { Scalar } from '../plan/expr.ts';
import { asBuffer } from '../arrow/utf8.ts';
import { broadcast, describe } from './values.ts';
import type { Val } from './values.ts';

type BoolVal = Extract<Val, { t: 'bool' }>;

function asBool(v: Val, what: string, n: number): BoolVal | null {
  if (v.t === 'bool') return v;
  if (v.t === 'scalar' && v.value === null) return null;
  if (v.t === 'scalar' && typeof v.value === 'boolean') return broadcast(v.value, n) as BoolVal;
  throw new Error(`"${what}" needs booleans, got ${describe(v)}`);
}

/** Kleene three-valued AND/OR: false AND null = false, true OR null = true, otherwise null wins. */
export function logical(kind: 'and' | 'or', l: Val, r: Val, n: number): Val {
  if (l.t === 'scalar' && r.t === 'scalar') {
    const a = l.value, b = r.value;
    if (kind === 'and') return { t: 'scalar', value: a === false || b === false ? false : a === null || b === null ? null : true };
    return { t: 'scalar', value: a === true || b === true ? true : a === null || b === null ? null : false };
  }
  const a = asBool(l, kind, n), b = asBool(r, kind, n);
  const dominant = kind === 'and' ? 0 : 1;
  if (!a || !b) {
    // One side is all-null: the result is the dominant value where the other side has it, else null.
    const x = (a ?? b)!;
    const valid = new Uint8Array(n);
    for (let i = 0; i < n; i++) valid[i] = (!x.valid || x.valid[i]) && x.v[i] === dominant ? 1 : 0;
    return { t: 'bool', v: x.v.slice(), valid };
  }
  const out = new Uint8Array(n);
  if (!a.valid && !b.valid) {
    if (kind === 'and') for (let i = 0; i < n; i++) out[i] = a.v[i]! & b.v[i]!;
    else for (let i = 0; i < n; i++) out[i] = a.v[i]! | b.v[i]!;
    return { t: 'bool', v: out, valid: null };
  }
  const valid = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const av = !a.valid || a.valid[i], bv = !b.valid || b.valid[i];
    if ((av && a.v[i] === dominant) || (bv && b.v[i] === dominant)) { out[i] = dominant; valid[i] = 1; }
    else if (av && bv) { out[i] = 1 - dominant; valid[i] = 1; }
  }
  return { t: 'bool', v: out, valid };
}

export function not(arg: Val, n: number): Val {
  if (arg.t === 'scalar') {
    if (arg.value === null) return arg;
    if (typeof arg.value !== 'boolean') throw new Error(`"not" needs a boolean, got ${describe(arg)}`);
    return { t: 'scalar', value: !arg.value };
  }
  const b = asBool(arg, 'not', n)!;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = 1 - b.v[i]!;
  return { t: 'bool', v: out, valid: b.valid };
}

/** True where the value is null; never null itself. */
export function isNull(arg: Val, n: number): Val {
  if (arg.t === 'scalar') return { t: 'scalar', value: arg.value === null };
  if (!arg.valid) return { t: 'bool', v: new Uint8Array(n), valid: null };
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = 1 - arg.valid[i]!;
  return { t: 'bool', v: out, valid: null };
}

/** SQL IN: true on a match; otherwise null if the list holds null, else false; null input gives null. */
export function isIn(arg: Val, values: readonly Scalar[], n: number): Val {
  const hasNull = values.includes(null);
  const set = new Set(values.filter((v) => v !== null));
  if (arg.t === 'scalar') {
    if (arg.value === null) return arg;
    return { t: 'scalar', value: set.has(arg.value) ? true : hasNull ? null : false };
  }
  const out = new Uint8Array(n);
  let valid = arg.valid;
  if (arg.t === 'num') for (let i = 0; i < n; i++) out[i] = set.has(arg.v[i]!) ? 1 : 0;
  else if (arg.t === 'bool') for (let i = 0; i < n; i++) out[i] = set.has(arg.v[i] === 1) ? 1 : 0;
  else {
    const { offsets, bytes } = arg.s;
    const buf = asBuffer(bytes);
    const lengths = new Set<number>();
    for (const v of set) if (typeof v === 'string') lengths.add(Buffer.byteLength(v));
    for (let i = 0; i < n; i++) {
      // Decode only rows whose byte length matches some candidate.
      if (!lengths.has(offsets[i + 1]! - offsets[i]!)) continue;
      out[i] = set.has(buf.toString('utf8', offsets[i]!, offsets[i + 1]!)) ? 1 : 0;
    }
  }
  if (hasNull) {
    const v2 = new Uint8Array(n);
    for (let i = 0; i < n; i++) v2[i] = out[i] && (!valid || valid[i]) ? 1 : 0;
    valid = v2;
  }
  return { t: 'bool', v: out, valid };
}
