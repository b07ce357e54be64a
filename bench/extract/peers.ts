import { Readability } from '@mozilla/readability';
import { convert } from 'html-to-text';
import { parseHTML } from 'linkedom';
import { stripTags } from './pages.ts';

/** A peer extractor: HTML in, main text out (empty when it finds none or fails). */
export type Extractor = (html: string) => string;

/** Readability.js on a linkedom document; its article HTML is stripped like the references. */
export const readability: Extractor = (html) => {
  try {
    const { document } = parseHTML(html);
    const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse();
    return article?.content ? stripTags(article.content) : '';
  } catch {
    return '';
  }
};

/** html-to-text on the whole page (it has no boilerplate removal), links and images as text only. */
export const htmlToText: Extractor = (html) => {
  try {
    return convert(html, {
      wordwrap: false,
      selectors: [
        { selector: 'a', options: { ignoreHref: true } },
        { selector: 'img', format: 'skip' },
      ],
    });
  } catch {
    return '';
  }
};
