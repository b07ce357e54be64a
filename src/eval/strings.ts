import type { MatchFn, StringFn } from '../plan/expr.ts';
import { asBuffer, Utf8Builder, utf8Parts } from '../arrow/utf8.ts';
import { describe } from './values.ts';
import type { Val } from './values.ts';

type Str = Extract<Val, { t: 'str' }>;

function asStr(v: Val, what: string, n: number): Str | null {
  if (v.t === 'str') return v;
  if (v.t === 'scalar' && v.value === null) return null;
  if (v.t === 'scalar' && typeof v.value === 'string') {
    const b = new Utf8Builder(n, n * v.value.length * 3 + 8);
    for (let i = 0; i < n; i++) b.append(v.value);
    return { t: 'str', s: utf8Parts(b.finish()), valid: null };
  }
  throw new Error(`${what} needs a string, got ${describe(v)}`);
}

/**
 * `length` counts UTF-16 code units (JavaScript's `String.length`) straight from the UTF-8 bytes:
 * every byte that is not a continuation byte starts one code unit, and 4-byte sequences add a
 * second one (a surrogate pair).
 */
export function stringFn(fn: StringFn, arg: Val, n: number): Val {
  const s = asStr(arg, fn, n);
  if (!s) return { t: 'scalar', value: null };
  const { bytes, offsets } = s.s;
  if (fn === 'length') {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let len = 0;
      for (let k = offsets[i]!, e = offsets[i + 1]!; k < e; k++) {
        const b = bytes[k]!;
        if ((b & 0xc0) !== 0x80) len += b >= 0xf0 ? 2 : 1;
      }
      out[i] = len;
    }
    return { t: 'num', v: out, valid: s.valid };
  }
  // lower: ASCII-only columns are lowered byte-wise; anything else goes through String#toLowerCase.
  const start = offsets[0]!, end = offsets[n]!;
  let ascii = true;
  for (let k = start; k < end; k++) if (bytes[k]! >= 0x80) { ascii = false; break; }
  if (ascii) {
    const out = bytes.slice(start, end);
    for (let k = 0; k < out.length; k++) { const b = out[k]!; if (b >= 65 && b <= 90) out[k] = b + 32; }
    const offs = start === 0 ? offsets : offsets.map((o) => o - start);
    return { t: 'str', s: { offsets: offs, bytes: out, valid: s.valid, length: n }, valid: s.valid };
  }
  const buf = asBuffer(bytes);
  const b = new Utf8Builder(n, end - start + 16);
  for (let i = 0; i < n; i++) b.append(buf.toString('utf8', offsets[i]!, offsets[i + 1]!).toLowerCase());
  return { t: 'str', s: utf8Parts(b.finish()), valid: s.valid };
}

const regexCache = new Map<string, RegExp>();

/** Compiles a pattern once per (source, flags); global/sticky flags are removed so `test` is stateless. */
export function compileRegex(pattern: string, flags = ''): RegExp {
  const key = `${flags}/${pattern}`;
  let re = regexCache.get(key);
  if (!re) {
    try {
      re = new RegExp(pattern, flags.replace(/[gy]/g, ''));
    } catch (e) {
      throw new Error(`invalid regular expression /${pattern}/${flags}: ${(e as Error).message}`);
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(key, re);
  }
  return re;
}

/**
 * Substring tests run on the raw UTF-8 bytes (valid UTF-8 is self-synchronizing, so byte matches
 * are character matches); `contains` uses the native `Buffer#indexOf` over the whole column and
 * maps each hit back to its row. Only `regexMatch` decodes, once per row.
 */
export function matchFn(fn: MatchFn, arg: Val, pattern: string, flags: string | undefined, n: number): Val {
  const s = asStr(arg, fn, n);
  if (!s) return { t: 'scalar', value: null };
  const { bytes, offsets } = s.s;
  const buf = asBuffer(bytes);
  const out = new Uint8Array(n);
  if (fn === 'regexMatch') {
    const re = compileRegex(pattern, flags);
    for (let i = 0; i < n; i++) {
      if (s.valid && !s.valid[i]) continue;
      out[i] = re.test(buf.toString('utf8', offsets[i]!, offsets[i + 1]!)) ? 1 : 0;
    }
    return { t: 'bool', v: out, valid: s.valid };
  }
  const pat = Buffer.from(pattern, 'utf8');
  const plen = pat.length;
  if (fn === 'contains') {
    if (plen === 0) return { t: 'bool', v: out.fill(1), valid: s.valid };
    const last = offsets[n]!;
    let i = 0;
    while (i < n) {
      const hit = buf.indexOf(pat, offsets[i]!);
      if (hit < 0 || hit >= last) break;
      while (offsets[i + 1]! <= hit) i++;
      // The first hit at or after this row's start either fits in the row or crosses its end,
      // in which case every later hit does too.
      if (hit + plen <= offsets[i + 1]!) out[i] = 1;
      i++;
    }
    return { t: 'bool', v: out, valid: s.valid };
  }
  for (let i = 0; i < n; i++) {
    const st = offsets[i]!, e = offsets[i + 1]!;
    if (e - st < plen) continue;
    const from = fn === 'startsWith' ? st : e - plen;
    let ok = 1;
    for (let k = 0; k < plen; k++) if (bytes[from + k] !== pat[k]) { ok = 0; break; }
    out[i] = ok;
  }
  return { t: 'bool', v: out, valid: s.valid };
}
