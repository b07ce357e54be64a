import { describe, expect, it } from 'vitest';
import { loadWarcPages } from '../../../bench/extract/warc-pages.ts';
import { decodeHtml } from '../../../src/ops/extract/decode.ts';
import { textOf } from './helpers.ts';

const WARC_FIXTURES = new URL('../../../fixtures/warc/', import.meta.url).pathname;
const para = 'A paragraph long enough to be taken for the main text of this little page, with a comma, and more words. ';

describe('decoding HTML bytes', () => {
  it('windows-1252 (declared as iso-8859-1) uses the WHATWG table: smart quotes and the euro sign, not C1 controls', () => {
    const bytes = Buffer.concat([
      Buffer.from('<html><head><meta charset="iso-8859-1"></head><body><article><p>'),
      Buffer.from([0x93, 0x43, 0x61, 0x66, 0xe9, 0x94, 0x20, 0x80, 0x35]), // “Café” €5
      Buffer.from(` ${para.repeat(3)}</p></article></body></html>`),
    ]);
    expect(decodeHtml(bytes)).toContain('\u201cCaf\u00e9\u201d \u20ac5');
    expect(textOf(bytes)).toContain('\u201cCaf\u00e9\u201d \u20ac5');
    expect(decodeHtml(bytes)).not.toMatch(/[\u0080-\u009f]/);
  });

  it('undeclared bytes that are not UTF-8 fall back to windows-1252, not U+FFFD (the HTML standard fallback)', () => {
    const bytes = Buffer.from(`<html><body><p>Cr\u00e8me br\u00fbl\u00e9e. ${para.repeat(3)}</p></body></html>`, 'latin1');
    expect(textOf(bytes)).toContain('Cr\u00e8me br\u00fbl\u00e9e.');
  });

  it('GBK declared in <meta>, and an HTTP charset that overrides the meta tag', () => {
    const gbk = Buffer.from('d6d0cec4', 'hex'); // 中文 in GBK
    const page = (meta: string): Buffer => Buffer.concat([Buffer.from(`<html><head><meta charset="${meta}"></head><body><p>`), gbk,
      Buffer.from(` ${para.repeat(3)}</p></body></html>`)]);
    expect(decodeHtml(page('gb2312'))).toContain('中文');
    expect(decodeHtml(page('utf-8'), 'GBK')).toContain('中文');
    expect(decodeHtml(page('utf-8'))).not.toContain('中文');
  });

  it('UTF-16 with a byte order mark is decoded, not refused as binary', () => {
    const html = `<html><body><p>Zürich, 中文. ${para.repeat(3)}</p></body></html>`;
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(html, 'utf16le')]);
    expect(textOf(le)).toContain('Zürich, 中文.');
  });

  it('the Chinese 003338.cn page from the Common Crawl WARC fixture decodes as its meta tag says (UTF-8)', () => {
    const page = loadWarcPages(WARC_FIXTURES).find((p) => p.uri === 'http://003338.cn/l41/481397.html');
    expect(page).toBeDefined();
    const html = decodeHtml(page!.body, page!.charset);
    expect(html).not.toContain('\uFFFD');
    const text = textOf(page!.body);
    expect(text).toContain('香港金融管理局总裁余伟文22日撰文指出');
    // The garbled keyword is the site's own: UTF-8 read as GBK and saved with '?' for lost bytes. It
    // is in the raw bytes as UTF-8, and in the <title> as character references, so no decoder fixes it.
    expect(Buffer.from(page!.body).includes(Buffer.from('婢虫床28鏄?笉鏄??瑙勭殑', 'utf8'))).toBe(true);
  });
});
