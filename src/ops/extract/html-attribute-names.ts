const KELVIN = 0x212a;

/**
 * Finds which wanted attribute name (lower-cased) a name in the document is, without slicing or
 * lower-casing it: the candidates of the same length are compared character by character, with
 * `toLowerCase`'s result for each character (A–Z, and the Kelvin sign that lower-cases to `k`;
 * no other character lower-cases to ASCII, and the ones that lower-case to several characters
 * never give an ASCII name). Names with other than lower-case ASCII are matched by slicing.
 */
export class AttributeNames {
  private readonly byLength: Array<string[] | undefined> = [];
  private readonly ascii: boolean;

  constructor(private readonly names: ReadonlySet<string>) {
    this.ascii = [...names].every((n) => /^[\x00-\x40\x5b-\x7f]*$/.test(n));
    for (const n of names) (this.byLength[n.length] ??= []).push(n);
  }

  /** The wanted name `html[start, end)` lower-cases to, or undefined. */
  match(html: string, start: number, end: number): string | undefined {
    if (!this.ascii) {
      const lower = html.slice(start, end).toLowerCase();
      return this.names.has(lower) ? lower : undefined;
    }
    const candidates = this.byLength[end - start];
    if (candidates === undefined) return undefined;
    for (const name of candidates) {
      let i = 0;
      for (; i < name.length; i++) {
        const c = html.charCodeAt(start + i);
        const w = name.charCodeAt(i);
        if (c !== w && !(c >= 65 && c <= 90 && c + 32 === w) && !(c === KELVIN && w === 107)) break;
      }
      if (i === name.length) return name;
    }
    return undefined;
  }
}
