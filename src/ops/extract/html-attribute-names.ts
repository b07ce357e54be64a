/**
 * Finds which wanted attribute name (lower-cased) a name in the document is, without decoding or
 * lower-casing it: the candidates of the same length are compared byte by byte, with
 * `toLowerCase`'s result for each (A–Z). The one other character that lower-cases to ASCII is the
 * Kelvin sign (to `k`), so a name with a non-ASCII byte is decoded and looked up; the characters
 * that lower-case to several never give an ASCII name. Wanted names with other than lower-case
 * ASCII are always matched by decoding.
 */
export class AttributeNames {
  private readonly byLength: Array<string[] | undefined> = [];
  private readonly ascii: boolean;

  constructor(private readonly names: ReadonlySet<string>) {
    this.ascii = [...names].every((n) => /^[\x00-\x40\x5b-\x7f]*$/.test(n));
    for (const n of names) (this.byLength[n.length] ??= []).push(n);
  }

  /** The wanted name the UTF-8 bytes `html[start, end)` lower-case to, or undefined. */
  match(html: Buffer, start: number, end: number): string | undefined {
    if (!this.ascii) return this.decoded(html, start, end);
    const candidates = this.byLength[end - start];
    if (candidates !== undefined) {
      for (const name of candidates) {
        let i = 0;
        for (; i < name.length; i++) {
          const c = html[start + i]!;
          const w = name.charCodeAt(i);
          if (c !== w && !(c >= 65 && c <= 90 && c + 32 === w)) break;
        }
        if (i === name.length) return name;
      }
    }
    // A name with the Kelvin sign (three bytes) may still lower-case to a wanted one.
    for (let i = start; i < end; i++) if (html[i]! >= 0x80) return this.decoded(html, start, end);
    return undefined;
  }

  private decoded(html: Buffer, start: number, end: number): string | undefined {
    const lower = html.toString('utf8', start, end).toLowerCase();
    return this.names.has(lower) ? lower : undefined;
  }
}
