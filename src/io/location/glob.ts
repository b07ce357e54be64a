/**
 * fast-glob pattern syntax for object keys, which no file system walk can match: S3 listings are
 * matched against the pattern in memory. The subset fast-glob users write: `*` (any characters but
 * `/`), `?` (one character but `/`), `**` as a whole segment (any number of segments), `{a,b}`
 * (alternatives, nestable), `[abc]` / `[!abc]` / `[^abc]` (character classes) and `\` escapes.
 * As fast-glob does by default, wildcards do not match a segment starting with `.`. Not supported:
 * extglobs (`+(…)`, `!(…)`) and regex groups; parentheses are literal here, so escape them
 * (`\(`) for a pattern that means the same to both (`test/io/location/glob.test.ts` checks this
 * translation against fast-glob on one tree).
 */
export function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${translate(pattern)}$`, 'u');
}

/** Whether a pattern has glob syntax (otherwise it names one path). */
export function isGlob(pattern: string): boolean {
  return /[*?[\]{}]/.test(pattern);
}

/** Splits a pattern into its literal leading directories and the rest: `a/b/*.gz` → `a/b/`, `*.gz`. */
export function globBase(pattern: string): { base: string; rest: string } {
  const segments = pattern.split('/');
  let i = 0;
  while (i < segments.length - 1 && !isGlob(segments[i]!)) i++;
  return { base: segments.slice(0, i).map((s) => `${s}/`).join(''), rest: segments.slice(i).join('/') };
}

const SEGMENT_START = '(?!\\.)';

function translate(pattern: string): string {
  let out = '';
  let i = 0;
  const atSegmentStart = (): boolean => i === 0 || pattern[i - 1] === '/';
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*' && atSegmentStart() && (i + 2 === pattern.length || pattern[i + 2] === '/')) {
      // `**/` matches zero or more whole segments; a trailing `**` matches everything below.
      const trailing = i + 2 === pattern.length;
      out += trailing ? `(?:${SEGMENT_START}[^/]*(?:/${SEGMENT_START}[^/]*)*)?` : `(?:${SEGMENT_START}[^/]*/)*`;
      i += trailing ? 2 : 3;
    } else if (c === '*') {
      while (pattern[i] === '*') i++;
      out += `${atSegmentStartAt(pattern, i) ? SEGMENT_START : ''}[^/]*`;
    } else if (c === '?') {
      out += `${atSegmentStart() ? SEGMENT_START : ''}[^/]`;
      i++;
    } else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) { out += '\\['; i++; continue; }
      let body = pattern.slice(i + 1, close);
      const negate = body[0] === '!' || body[0] === '^';
      if (negate) body = body.slice(1);
      out += `[${negate ? '^/' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
      i = close + 1;
    } else if (c === '{') {
      const close = matchingBrace(pattern, i);
      if (close < 0) { out += '\\{'; i++; continue; }
      out += `(?:${splitAlternatives(pattern.slice(i + 1, close)).map(translate).join('|')})`;
      i = close + 1;
    } else if (c === '\\' && i + 1 < pattern.length) {
      out += escape(pattern[i + 1]!);
      i += 2;
    } else {
      out += escape(c);
      i++;
    }
  }
  return out;
}

/** Whether the run of `*` ending before `end` starts a segment. */
function atSegmentStartAt(pattern: string, end: number): boolean {
  let s = end;
  while (s > 0 && pattern[s - 1] === '*') s--;
  return s === 0 || pattern[s - 1] === '/';
}

function matchingBrace(pattern: string, open: number): number {
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    if (pattern[i] === '\\') { i++; continue; }
    if (pattern[i] === '{') depth++;
    else if (pattern[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function splitAlternatives(body: string): string[] {
  const out: string[] = [];
  let depth = 0, from = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') { i++; continue; }
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ',' && depth === 0) { out.push(body.slice(from, i)); from = i + 1; }
  }
  out.push(body.slice(from));
  return out;
}

function escape(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
