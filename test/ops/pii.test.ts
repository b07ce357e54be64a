import { describe, expect, it } from 'vitest';
import { isPublicIpv4, isPublicIpv6, parseIpv6 } from '../../src/ops/text/ip-address.ts';
import { pii, piiOptions, redactPii } from '../../src/ops/transforms/pii.ts';
import { readCorpus, runOperator, textBatch } from './text-fixtures.ts';

const o = piiOptions.parse({});
const redact = (t: string) => redactPii(t, o).text;

describe('IP address classification', () => {
  it('treats private, loopback, link-local, multicast, documentation and reserved IPv4 as not public', () => {
    for (const ip of ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.10', '127.0.0.1', '169.254.1.1',
      '100.64.0.1', '224.0.0.251', '239.255.255.250', '255.255.255.255', '0.0.0.0', '192.0.2.1', '198.51.100.7', '203.0.113.9', '240.0.0.1']) {
      expect(isPublicIpv4(ip), ip).toBe(false);
    }
    for (const ip of ['8.8.8.8', '93.184.216.34', '172.32.0.1', '172.15.255.255', '1.2.3.4', '203.0.114.1']) expect(isPublicIpv4(ip), ip).toBe(true);
  });

  it('rejects malformed dotted quads (octet > 255, leading zeros)', () => {
    for (const s of ['256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5']) expect(isPublicIpv4(s), s).toBe(false);
  });

  it('parses IPv6 with and without :: and classifies global unicast as public', () => {
    expect(parseIpv6('2606:4700:4700::1111')).toEqual([0x2606, 0x4700, 0x4700, 0, 0, 0, 0, 0x1111]);
    expect(parseIpv6('1:2:3:4:5:6:7:8')).toHaveLength(8);
    for (const s of ['12:30:45', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::1']) expect(parseIpv6(s), s).toBeNull();
    for (const ip of ['2606:4700:4700::1111', '2a00:1450:4001:82b::200e']) expect(isPublicIpv6(ip), ip).toBe(true);
    for (const ip of ['::1', '::', 'fe80::1', 'fd12:3456::1', 'ff02::1', '2001:db8::1', '2001:0:4136:e378::1']) expect(isPublicIpv6(ip), ip).toBe(false);
  });
});

describe('redactPii', () => {
  it('replaces the e-mail addresses of real crawled pages', () => {
    const docs = readCorpus('dolma-cc2019-30.sample.jsonl').concat(readCorpus('dclm-quality-labels.sample.jsonl'));
    const page = docs.find((d) => d.text.includes('xtc@brrc.org'))!.text;
    const r = redactPii(page, o);
    expect(r.emails).toBe(1);
    expect(r.text).toContain('Please contact Jeff Mendoza to sign up:\nemail@example.com (please put XTC or XC in the subject title)');
    expect(r.text.length).toBe(page.length - 'xtc@brrc.org'.length + 'email@example.com'.length);
  });

  it('handles subdomains, plus tags, quotes, brackets and trailing punctuation', () => {
    const text = 'Questions? Write to john.doe+newsletter@mail.cs.example.edu. Press: "press@company.co.uk", ' +
      'support (help_desk@shop-online.de); sales@acme.io! <billing@acme.io>, or mailto:ann@firm.com?subject=hi';
    const r = redactPii(text, o);
    expect(r.text).toBe('Questions? Write to email@example.com. Press: "email@example.com", ' +
      'support (email@example.com); email@example.com! <email@example.com>, or mailto:email@example.com?subject=hi');
    expect(r.emails).toBe(6);
    // datatrove's lower-case-only pattern misses these.
    expect(redact('Mail John.Doe@Example.COM or INFO@SHOP.DE today')).toBe('Mail email@example.com or email@example.com today');
  });

  it('leaves non-addresses alone: handles (Twitter, fediverse), bare @host, 1-letter TLDs, double @, code', () => {
    for (const t of ['Follow @nasa on Twitter.', 'user@localhost is the default.', 'Set a@b.c in the config.',
      'x@y.com@z is not one address', 'Via @dsalo@glammr.us on Mastodon.', 'Use @Override and obj@method() in Java.', 'Price: 3 @ $4.99 each']) {
      expect(redact(t), t).toBe(t);
    }
  });

  it('leaves URLs whole: hosts, user info and @-paths', () => {
    const t = 'See https://medium.com/@jane/post, ftp://anon@files.example.org/pub, http://93.184.216.34/status ' +
      'and http://[2606:4700::1111]:8080/.';
    expect(redactPii(t, o)).toEqual({ text: t, emails: 0, ips: 0 });
  });

  it('replaces public IPv4 and IPv6 in a server-admin post and keeps private ones', () => {
    const post = 'My router (192.168.1.1) forwards port 22 to 10.0.0.5, but ssh from 81.2.69.160 times out.\n' +
      'Pinging 8.8.8.8 works; localhost is 127.0.0.1 and the printer got 169.254.10.3.\n' +
      'The server also listens on 2a00:1450:4001:82b::200e and fe80::1ff:fe23:4567:890a%eth0; ::1 is fine.\n' +
      'Uptime 12:30:45, build 2019.04.01.';
    const r = redactPii(post, o);
    expect(r.text).toBe('My router (192.168.1.1) forwards port 22 to 10.0.0.5, but ssh from 192.0.2.1 times out.\n' +
      'Pinging 192.0.2.1 works; localhost is 127.0.0.1 and the printer got 169.254.10.3.\n' +
      'The server also listens on 2001:db8::1 and fe80::1ff:fe23:4567:890a%eth0; ::1 is fine.\n' +
      'Uptime 12:30:45, build 2019.04.01.');
    expect(r.ips).toBe(3);
  });

  it('version numbers: only a bare, valid public dotted quad is replaced (as datatrove)', () => {
    expect(redact('Upgrade to v1.2.3.4 or 2.4.1.10.7, OpenSSL 1.1.1, build 10.0.19041.1')).toBe('Upgrade to v1.2.3.4 or 2.4.1.10.7, OpenSSL 1.1.1, build 10.0.19041.1');
    expect(redact('Release 1.2.3.4 fixes it; 01.02.03.04, 300.1.1.1 and 1.2.3.456 are not addresses.'))
      .toBe('Release 192.0.2.1 fixes it; 01.02.03.04, 300.1.1.1 and 1.2.3.456 are not addresses.');
    expect(redact('Firmware 10.0.0.1 and 192.168.1.2 look like versions and stay.')).toBe('Firmware 10.0.0.1 and 192.168.1.2 look like versions and stay.');
  });

  it('is idempotent: placeholders are neither replaced again nor counted', () => {
    const once = redactPii('a b@c.com 8.8.8.8 2606:4700::1111', o);
    expect(redactPii(once.text, o)).toEqual({ text: once.text, emails: 0, ips: 0 });
    expect(redactPii('ip 8.8.8.8', { ...o, onlyPublicIps: false, ipv4Replacement: '10.0.0.1' }).text).toBe('ip 10.0.0.1');
  });

  it('honours the switches', () => {
    const t = 'mail a@b.com from 10.0.0.1 or 8.8.8.8';
    expect(redactPii(t, { ...o, removeEmails: false })).toEqual({ text: 'mail a@b.com from 10.0.0.1 or 192.0.2.1', emails: 0, ips: 1 });
    expect(redactPii(t, { ...o, removeIps: false }).text).toBe('mail email@example.com from 10.0.0.1 or 8.8.8.8');
    expect(redactPii(t, { ...o, onlyPublicIps: false }).ips).toBe(2);
    expect(redactPii(t, { ...o, emailReplacement: '<EMAIL>' }).text).toContain('mail <EMAIL> from');
  });

  it('stays linear on long runs without addresses', () => {
    const junk = `${'a'.repeat(200_000)} ${'1.'.repeat(100_000)} ${'ab:'.repeat(100_000)} ${'x+'.repeat(100_000)}@`;
    expect(redactPii(junk, o).text).toBe(junk);
  });
});

describe('pii operator', () => {
  it('rewrites the text column and adds per-document counts', async () => {
    const r = await runOperator(pii, {}, textBatch(['write to a@b.com or c@d.org', 'nothing here', null, 'ip 8.8.4.4']));
    expect(r.drop).toBeUndefined();
    expect(r.batch.getChild('text')!.toArray()).toEqual(['write to email@example.com or email@example.com', 'nothing here', '', 'ip 192.0.2.1']);
    expect([...(r.batch.getChild('pii_emails')!.toArray() as Int32Array)]).toEqual([2, 0, 0, 0]);
    expect([...(r.batch.getChild('pii_ips')!.toArray() as Int32Array)]).toEqual([0, 0, 0, 1]);
  });
});
