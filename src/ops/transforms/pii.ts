import { Int32, makeData } from 'apache-arrow';
import { z } from 'zod';
import { setColumn } from '../../arrow/batch.ts';
import { utf8Vector } from '../../arrow/utf8.ts';
import { defineOperator } from '../operator.ts';
import { readTextColumn } from '../text/columns.ts';
import { isPublicIpv4, isPublicIpv6, parseIpv4, parseIpv6 } from '../text/ip-address.ts';

/**
 * Options of the PII redaction step, FineWeb's last text step (datatrove
 * `pipeline/formatters/pii.py` `PIIFormatter`, used with its defaults by `examples/fineweb.py`).
 * datatrove cycles through tuples of replacements (two e-mails, several made-up public IPs);
 * ours are single fixed placeholders from reserved ranges (RFC 2606 example.com, RFC 5737
 * TEST-NET-1, RFC 3849 2001:db8::/32), so outputs are deterministic, the placeholders are never
 * mistaken for real addresses, and running the step twice changes nothing.
 */
export const piiOptions = z.object({
  column: z.string().default('text'),
  /** Replace e-mail addresses (datatrove `remove_emails`, default on). */
  removeEmails: z.boolean().default(true),
  /** Replace IPv4 and IPv6 addresses (datatrove `remove_ips`, default on; datatrove handles IPv4 only). */
  removeIps: z.boolean().default(true),
  /**
   * Replace only public addresses (datatrove `only_remove_public_ips`, default on): private,
   * loopback, link-local, multicast, documentation and reserved ranges are not personal data.
   * `false` replaces every valid address.
   */
  onlyPublicIps: z.boolean().default(true),
  /** What an e-mail address becomes (datatrove's first default). */
  emailReplacement: z.string().default('email@example.com'),
  /** What an IPv4 address becomes: TEST-NET-1, never routed. */
  ipv4Replacement: z.string().default('192.0.2.1'),
  /** What an IPv6 address becomes: the documentation prefix. */
  ipv6Replacement: z.string().default('2001:db8::1'),
  /** Int32 column with the number of e-mail addresses replaced per document. */
  emailsColumn: z.string().default('pii_emails'),
  /** Int32 column with the number of IP addresses replaced per document. */
  ipsColumn: z.string().default('pii_ips'),
});
export type PiiOptions = z.output<typeof piiOptions>;

/**
 * One left-to-right scan; the leftmost alternative wins, so a URL swallows its host, user info
 * and path and is left alone (a server's address is not a person's, and `user@host` in a URL or
 * `/@handle` paths are not mailboxes). Every alternative starts only where its run of characters
 * starts (the lookbehinds), which keeps the scan linear on long runs of letters or digits.
 * - URL: `scheme://` up to whitespace or a quote/angle bracket.
 * - e-mail: a practical subset of RFC 5322: local part of letters, digits, `_ % + -` and inner
 *   dots; a domain of LDH labels with an alphabetic TLD of ≥ 2 characters. Trailing sentence
 *   punctuation is not part of it; `a@b.c` with a 1-letter TLD is not an address. Fediverse
 *   handles (`@user@mastodon.social`) are public usernames like `@user` on Twitter, not
 *   mailboxes, and are left alone (datatrove would replace the `user@mastodon.social` part).
 * - IPv6: colon-separated hex groups, validated by `parseIpv6` (times like `12:30:45` fail).
 * - IPv4: a dotted quad not inside a longer dotted/word run, so `1.2.3.4.5`, `v1.2.3.4` and
 *   `a1.2.3.4` are left alone, but a bare `1.2.3.4` is treated as an address even when it is a
 *   version number, as datatrove does: text alone cannot tell them apart, and leaking an address
 *   costs more than garbling a rare four-part version number.
 */
const PII = new RegExp([
  String.raw`(?<![A-Za-z0-9+.-])(?<url>[A-Za-z][A-Za-z0-9+.-]*://[^\s<>"']+)`,
  String.raw`(?<![A-Za-z0-9_%+.@-])(?<email>[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,61}[A-Za-z0-9])(?![\w@-]|\.\w)`,
  String.raw`(?<![\w:.])(?<ipv6>(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4})(?![\w:]|\.\d)`,
  String.raw`(?<![\w.])(?<ipv4>\d{1,3}(?:\.\d{1,3}){3})(?![\w]|\.\d)`,
].join('|'), 'g');

export interface PiiResult {
  text: string;
  emails: number;
  ips: number;
}

/** Replaces the e-mail and IP addresses of one document; counts exclude existing placeholders. */
export function redactPii(text: string, o: PiiOptions): PiiResult {
  let emails = 0;
  let ips = 0;
  const out = text.replace(PII, (match: string, ...args: unknown[]) => {
    const g = args[args.length - 1] as Record<string, string | undefined>;
    if (g.email !== undefined) {
      if (!o.removeEmails || match === o.emailReplacement) return match;
      emails++;
      return o.emailReplacement;
    }
    if (g.ipv4 !== undefined) return ip(match, o.ipv4Replacement, o.onlyPublicIps ? isPublicIpv4(match) : parseIpv4(match) !== null);
    if (g.ipv6 !== undefined) return ip(match, o.ipv6Replacement, o.onlyPublicIps ? isPublicIpv6(match) : parseIpv6(match) !== null);
    return match;
  });
  function ip(match: string, replacement: string, replace: boolean): string {
    if (!o.removeIps || !replace || match === replacement) return match;
    ips++;
    return replacement;
  }
  return { text: out, emails, ips };
}

function int32Column(values: Int32Array) {
  return makeData({ type: new Int32(), length: values.length, nullCount: 0, data: values });
}

/** FineWeb's PII step: replaces e-mail and public IP addresses with fixed placeholders and counts them per document. */
export const pii = defineOperator({
  name: 'pii',
  options: piiOptions,
  declare: (o) => ({
    reads: [o.column],
    writes: [o.column, o.emailsColumn, o.ipsColumn],
    removes: [],
    filters: false,
    kind: 'narrow',
    costPerRow: 5_000,
  }),
  init: (o) => ({ options: o }),
  apply: (state, batch, ctx) => {
    const o = state.options;
    const texts = readTextColumn(batch, o.column, 'pii');
    const out = new Array<string>(texts.length);
    const emails = new Int32Array(texts.length);
    const ips = new Int32Array(texts.length);
    for (let i = 0; i < texts.length; i++) {
      ctx.heartbeat(i);
      const r = redactPii(texts[i]!, o);
      out[i] = r.text;
      emails[i] = r.emails;
      ips[i] = r.ips;
    }
    let result = setColumn(batch, o.column, utf8Vector(out));
    result = setColumn(result, o.emailsColumn, int32Column(emails), false);
    result = setColumn(result, o.ipsColumn, int32Column(ips), false);
    return { batch: result };
  },
});
