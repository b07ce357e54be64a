import { describe, expect, it } from 'vitest';
import { textOf } from './helpers.ts';

const P = 'A sentence of real prose that makes this block the main content of the page, with commas, clauses, and detail.';
const page = (body: string): string => `<html><body><article class="post-content">${body}</article></body></html>`;

describe('text assembly', () => {
  it('headings and paragraphs are separated by one blank line; inline whitespace collapses', () => {
    const text = textOf(page(`<h2>  A   heading </h2>\n\n<p>${P}\n   ${P}</p><p>Second <b>bold</b>   and <i>italic</i>.</p>`));
    expect(text).toBe(`A heading\n\n${P} ${P}\n\nSecond bold and italic.`);
  });

  it('never more than two newlines in a row, even with empty blocks and many <br>', () => {
    const text = textOf(page(`<p>${P}</p><div></div><p></p><br><br><br><br><p>${P}</p><pre>code\n\n\n\nmore</pre>`));
    expect(text).not.toMatch(/\n{3}/);
    expect(text).toContain('code\n\nmore');
  });

  it('tables: cells tab-separated, rows as lines; includeTables=false leaves them out', () => {
    const table = '<table><tr><th>Name</th><th>Value</th></tr><tr><td>alpha</td><td>1</td></tr><tr><td>beta</td><td>2</td></tr></table>';
    const text = textOf(page(`<p>${P}</p>${table}<p>${P}</p>`));
    expect(text).toContain('Name\tValue\nalpha\t1\nbeta\t2');
    const without = textOf(page(`<p>${P}</p>${table}<p>${P}</p>`), { includeTables: false });
    expect(without).not.toContain('alpha');
    expect(without).toContain(P);
  });

  it('pre keeps its line structure and indentation', () => {
    const text = textOf(page(`<p>${P}</p><pre><code>function f() {\n  return 1;\n}</code></pre>`));
    expect(text).toContain('function f() {\n  return 1;\n}');
  });

  it('<br> inside a paragraph is a line break', () => {
    expect(textOf(page(`<p>${P}<br>line two</p>`))).toBe(`${P}\nline two`);
  });
});
