/**
 * Parsing and classification of textual IP addresses for PII redaction. "Public" means what
 * Python's `ipaddress` (which datatrove's `public_ip_validator` uses) would not call private,
 * loopback, link-local, multicast or reserved: addresses in IANA's special-purpose registries are
 * not anybody's machine on the open internet, so replacing them only damages technical text.
 */

/** [network, prefix length] pairs of IPv4 space that is not globally routable (RFC 6890 and successors). */
const IPV4_SPECIAL: [number, number][] = [
  [0x00000000, 8], // "this network"
  [0x0a000000, 8], // 10/8 private
  [0x64400000, 10], // 100.64/10 carrier-grade NAT
  [0x7f000000, 8], // 127/8 loopback
  [0xa9fe0000, 16], // 169.254/16 link-local
  [0xac100000, 12], // 172.16/12 private
  [0xc0000000, 24], // 192.0.0/24 IETF protocol assignments
  [0xc0000200, 24], // 192.0.2/24 TEST-NET-1 (documentation)
  [0xc0586300, 24], // 192.88.99/24 deprecated 6to4 relay anycast
  [0xc0a80000, 16], // 192.168/16 private
  [0xc6120000, 15], // 198.18/15 benchmarking
  [0xc6336400, 24], // 198.51.100/24 TEST-NET-2
  [0xcb007100, 24], // 203.0.113/24 TEST-NET-3
  [0xe0000000, 4], // 224/4 multicast
  [0xf0000000, 4], // 240/4 reserved, including 255.255.255.255
];

/**
 * The 32-bit value of a dotted quad, or null when it is not one: four decimal octets ≤ 255
 * without leading zeros (Python ≥ 3.9.5 rejects them too: `010` is ambiguous between octal and decimal).
 */
export function parseIpv4(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const p of parts) {
    if (!/^(?:0|[1-9]\d{0,2})$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    value = value * 256 + n;
  }
  return value;
}

/** Whether `s` is a valid dotted quad outside every special-purpose IPv4 block. */
export function isPublicIpv4(s: string): boolean {
  const v = parseIpv4(s);
  if (v === null) return false;
  return !IPV4_SPECIAL.some(([net, len]) => Math.floor(v / 2 ** (32 - len)) === Math.floor(net / 2 ** (32 - len)));
}

/** The eight 16-bit groups of an IPv6 address in hex notation (`::` allowed once), or null. */
export function parseIpv6(s: string): number[] | null {
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const given = head.length + tail.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return null;
  const out: number[] = [];
  for (const g of [...head, ...Array<string>(8 - given).fill('0'), ...tail]) {
    if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return null;
    out.push(parseInt(g, 16));
  }
  return out;
}

/**
 * Whether `s` is a valid IPv6 address in global unicast space (2000::/3) outside the
 * documentation prefix 2001:db8::/32 and the IETF protocol block 2001::/23. Everything else
 * (loopback, unique-local fc00::/7, link-local fe80::/10, multicast ff00::/8, IPv4-mapped) is not public.
 */
export function isPublicIpv6(s: string): boolean {
  const g = parseIpv6(s);
  if (g === null) return false;
  const [a, b] = [g[0]!, g[1]!];
  if (a < 0x2000 || a > 0x3fff) return false;
  if (a === 0x2001 && b === 0x0db8) return false;
  return !(a === 0x2001 && b < 0x0200);
}
