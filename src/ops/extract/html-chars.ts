/** Character codes and classes the HTML tokenizer tests. */
const TAB = 9, LF = 10, FF = 12, CR = 13, SPACE = 32;
export const BANG = 33, DQUOTE = 34, AMP = 38, SQUOTE = 39, DASH = 45, SLASH = 47, LT = 60, EQ = 61, GT = 62, QUESTION = 63,
  LBRACKET = 91;

/** Character classes of ASCII codes, as bits; codes from 128 up are in none. */
const SPACE_BIT = 1, NAME_END_BIT = 2, ATTR_NAME_END_BIT = 4, UNQUOTED_END_BIT = 8;
const CLASSES = new Uint8Array(128);
for (const c of [TAB, LF, FF, CR, SPACE]) CLASSES[c] = SPACE_BIT | NAME_END_BIT | ATTR_NAME_END_BIT | UNQUOTED_END_BIT;
CLASSES[SLASH] = NAME_END_BIT | ATTR_NAME_END_BIT;
CLASSES[GT] = NAME_END_BIT | ATTR_NAME_END_BIT | UNQUOTED_END_BIT;
CLASSES[EQ] = ATTR_NAME_END_BIT;

/** HTML whitespace: space, tab, line feed, form feed, carriage return. */
export function isSpace(c: number): boolean {
  return c < 128 && (CLASSES[c]! & SPACE_BIT) !== 0;
}

/** What ends a tag name: whitespace, `/` or `>`. */
export function endsName(c: number): boolean {
  return c < 128 && (CLASSES[c]! & NAME_END_BIT) !== 0;
}

/** What ends an attribute name: whitespace, `/`, `>` or `=`. */
export function endsAttributeName(c: number): boolean {
  return c < 128 && (CLASSES[c]! & ATTR_NAME_END_BIT) !== 0;
}

/** What ends an unquoted attribute value: whitespace or `>`. */
export function endsUnquoted(c: number): boolean {
  return c < 128 && (CLASSES[c]! & UNQUOTED_END_BIT) !== 0;
}

/** What may start a tag name: an ASCII letter. */
export function isAsciiAlpha(c: number): boolean {
  const l = c | 0x20;
  return l >= 97 && l <= 122;
}

/** What may follow `&` in a character reference: ASCII letters, digits and `#`. */
export function isReferenceChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 35 || isAsciiAlpha(c);
}

/** Whether the bytes at `at` are the ASCII `prefix`. */
export function startsWithAscii(bytes: Uint8Array, at: number, prefix: string): boolean {
  if (at + prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix.charCodeAt(i)) return false;
  return true;
}
