import { describe, expect, it } from 'vitest';
import { textOf } from './helpers.ts';

/**
 * The boilerplate rules applied inside the chosen content (`extract/prune.ts`, `extract/see-also.ts`),
 * each on a short fragment written after the page patterns of trafilatura's benchmark (news and blog
 * articles in German, Spanish, English). Each test checks the counterfactual too: the same text
 * without the boilerplate marker stays, so a test fails if its rule is gone or too broad.
 */

const STORY = [
  'Die Gemeinde hat am Dienstag beschlossen, das alte Schulhaus bis zum Herbst zu sanieren, nachdem ein Gutachten erhebliche Mängel festgestellt hatte.',
  'Die Kosten von rund 2,4 Millionen Euro teilen sich Land, Kreis und Gemeinde, wobei der größte Anteil aus einem Förderprogramm des Landes stammt.',
  'Während der Bauzeit werden die Schülerinnen und Schüler in Containern auf dem Sportplatz unterrichtet, wie der Bürgermeister mitteilte.',
  'Eltern hatten seit Jahren auf den schlechten Zustand der Fenster, der Heizung und der sanitären Anlagen hingewiesen, bisher jedoch ohne Erfolg.',
];

/** A blog/news page: site chrome, then an article whose body holds `inside` between paragraphs. */
function page(inside: string, after = ''): string {
  const [a, b, c, d] = STORY.map((t) => `<p>${t}</p>`);
  return `<html><head><title>Schulhaus wird saniert</title></head><body>
    <div class="site-header"><a href="/">Startseite</a> <a href="/lokales">Lokales</a></div>
    <div class="site-content"><article class="post type-post"><div class="entry-content">
      ${a}${b}${inside}${c}${d}${after}
    </div></article></div>
    <div class="site-footer"><a href="/impressum">Impressum</a></div></body></html>`;
}

describe('boilerplate rules inside the content', () => {
  it('named-boilerplate: a box named as share bar, author box or newsletter goes', () => {
    const box = (cls: string): string => `<div class="${cls}"><p>Anna Beispiel schreibt seit 2010 für die Lokalredaktion über Schulen und Vereine.</p></div>`;
    expect(textOf(page(box('author-box')))).not.toContain('Anna Beispiel');
    expect(textOf(page(box('newsletter-signup')))).not.toContain('Anna Beispiel');
    expect(textOf(page(box('entry-aside-note')))).toContain('Anna Beispiel');
  });

  it('named-boilerplate: nothing goes when the names would take nearly all the text', () => {
    // A theme that calls the article wrapper itself `post-meta` must not lose the article.
    const html = page('').replace('<div class="entry-content">', '<div class="entry-content"><div class="post-meta-wrap">').replace('</div></article>', '</div></div></article>');
    expect(textOf(html)).toContain(STORY[2]);
  });

  it('link-density: a paragraph that is a link to another story goes, a paragraph with a link stays', () => {
    const teaser = '<p><a href="/lokales/2021/neue-turnhalle">Neue Turnhalle eingeweiht</a></p>';
    expect(textOf(page(teaser))).not.toContain('Neue Turnhalle');
    const long = '<p><a href="/lokales/2021/neue-turnhalle">Neue Turnhalle für die Grundschule eingeweiht: Nach acht Monaten Bauzeit können die Kinder wieder Sport treiben</a></p>';
    expect(textOf(page(long))).not.toContain('Neue Turnhalle');
    const inline = '<p>Die <a href="/lokales/2021/neue-turnhalle">neue Turnhalle</a> war im vergangenen Jahr eingeweiht worden, nach nur acht Monaten Bauzeit.</p>';
    expect(textOf(page(inline))).toContain('nach nur acht Monaten Bauzeit');
  });

  it('captions: a figure caption or a box named caption goes, the paragraphs around it stay', () => {
    const figure = '<figure><img src="schule.jpg" alt=""><figcaption>Das Schulhaus im Jahr 1958. Foto: Stadtarchiv</figcaption></figure>';
    const wp = '<div class="wp-caption alignnone"><img src="schule.jpg" alt=""><p class="wp-caption-text">Das Schulhaus im Jahr 1958. Foto: Stadtarchiv</p></div>';
    for (const box of [figure, wp]) {
      const text = textOf(page(box));
      expect(text).not.toContain('Stadtarchiv');
      expect(text).toContain(STORY[2]);
    }
    expect(textOf(page('<p>Das Schulhaus im Jahr 1958 war das erste der Stadt mit Zentralheizung. Foto: Stadtarchiv</p>'))).toContain('Stadtarchiv');
  });

  it('see-also: "read also" lines and the list they introduce go, in several languages', () => {
    const lines = [
      '<p><strong>Lesen Sie auch:</strong> Wie die Stadt ihre Schulen digitalisieren will</p>',
      '<p><strong>Lea también:</strong> Impiden ingreso a reportero y camarógrafo</p>',
      '<p>Read more: Recognizing colonial crimes</p>',
    ];
    for (const l of lines) expect(textOf(page(l))).not.toMatch(/digitalisieren|reportero|colonial/);
    const list = '<h3>Mehr zum Thema</h3><ul><li>Sanierung der Sporthalle verzögert sich</li><li>Kreis plant neue Gesamtschule</li></ul>';
    const text = textOf(page(list));
    expect(text).not.toContain('Mehr zum Thema');
    expect(text).not.toContain('Sporthalle');
    // The same words inside a sentence are prose.
    expect(textOf(page('<p>Wer mehr zum Thema erfahren will, kann am Donnerstag die Bürgerversammlung im Rathaus besuchen.</p>'))).toContain('Bürgerversammlung');
  });

  it('trailing-headings: a heading with nothing after it goes, a heading over text stays', () => {
    expect(textOf(page('', '<h2>Kommentare</h2>'))).not.toContain('Kommentare');
    expect(textOf(page('<h2>Container auf dem Sportplatz</h2>'))).toContain('Container auf dem Sportplatz');
  });

  it('standfirst: the lead paragraph in the article header joins the body, a teaser of another story does not', () => {
    const lead = 'Nach jahrelangen Klagen von Eltern und Lehrern ist die Sanierung nun beschlossen: Bis zum Herbst soll das Gebäude fertig sein.';
    const html = (leadBox: string): string => `<html><body><div class="site-content"><article class="post type-post">
      <header class="entry-header"><h1>Schulhaus wird saniert</h1>${leadBox}</header>
      <div class="entry-content">${STORY.map((t) => `<p>${t}</p>`).join('')}</div></article>
      <aside class="sidebar"><div class="teaser-text"><p>${lead.replace('Sanierung', 'Erweiterung')}</p></div></aside></div></body></html>`;
    for (const cls of ['lead', 'teaser-text', 'entry-excerpt']) {
      const text = textOf(html(`<div class="${cls}"><p>${lead}</p></div>`));
      expect(text.startsWith(lead)).toBe(true);
      expect(text).not.toContain('Erweiterung');
    }
    // The same paragraph without a lead name is header chrome.
    expect(textOf(html(`<div class="meta-box"><p>${lead}</p></div>`))).not.toContain('Nach jahrelangen Klagen');
  });

  it('legal notes, embedded posts and ad labels go; <time> goes; soft hyphens and furigana are not text', () => {
    const disclaimer = '<div class="editorial-disclaimer"><p>Für Links auf dieser Seite erhält die Redaktion eine Provision vom Händler.</p></div>';
    expect(textOf(page(disclaimer))).not.toContain('Provision');
    expect(textOf(page('<div class="editorial-note"><p>Für Links auf dieser Seite erhält die Redaktion eine Provision vom Händler.</p></div>'))).toContain('Provision');
    expect(textOf(page('<div class="inline-slot"><span>- Anzeige -</span></div>'))).not.toContain('Anzeige');
    // The label test reads the element's assembled text: inline markup and soft hyphens inside
    // the word still spell it, a block break inside it does not.
    expect(textOf(page('<div class="inline-slot"><span>– <b>WER</b>\u00adBUNG –</span></div>'))).not.toContain('BUNG');
    expect(textOf(page('<div class="inline-slot"><div><div>Rek</div><div>lama</div></div></div>'))).toContain('lama');
    // Case, brackets and accents do not hide a label, nor does Unicode case folding (`ſ` is `s`); a number does.
    expect(textOf(page('<div class="inline-slot"><span>[ ADVERTISEMENT ]</span></div>'))).not.toContain('ADVERTISEMENT');
    expect(textOf(page('<div class="inline-slot"><span>Advertisement 2</span></div>'))).toContain('Advertisement 2');
    expect(textOf(page('<div class="inline-slot"><span>Publicité</span></div>'))).not.toContain('Publicit');
    expect(textOf(page('<div class="inline-slot"><span>\u017fponsored</span></div>'))).not.toContain('ponsored');
    expect(textOf(page('<p>Die Anzeige wurde am Montag bei der Polizei erstattet, wie ein Sprecher der Behörde bestätigte.</p>'))).toContain('Die Anzeige wurde');
    expect(textOf(page('<p class="meta-line"><time datetime="2021-03-01">01.03.2021</time></p>'))).not.toContain('01.03.2021');
    const shy = textOf(page('<p>Der Bar\u00adba\u00adres\u00adco reift mindestens zwei Jahre, davon neun Monate im Holz\u00adfass.</p>'));
    expect(shy).toContain('Der Barbaresco reift mindestens zwei Jahre, davon neun Monate im Holzfass.');
    const ruby = '<p><ruby>子<rp>(</rp><rt>こ</rt><rp>)</rp></ruby>どもへの<ruby>虐待<rt>ぎゃくたい</rt></ruby>をなくすための<ruby>法律<rt>ほうりつ</rt></ruby>ができて、<ruby>親<rt>おや</rt></ruby>が<ruby>子<rt>こ</rt></ruby>どもを<ruby>教育<rt>きょういく</rt></ruby>するために、たたいたりする<ruby>体罰<rt>たいばつ</rt></ruby>を<ruby>禁止<rt>きんし</rt></ruby>することになりました。</p>';
    expect(textOf(page(ruby))).toContain('子どもへの虐待をなくすための法律ができて、親が子どもを教育するために');
  });

  it('named-boilerplate: a next-posts box the sibling step joined to the story goes', () => {
    const excerpt = (t: string): string => `<article class="post_teaser"><h3>${t}</h3><div class="excerpt"><p>${t}: Wie Eltern, Lehrer und die Verwaltung in anderen Gemeinden mit maroden Schulgebäuden umgehen, zeigt ein Überblick.</p></div></article>`;
    const html = `<html><body><section class="single"><div class="wrap">
      <div class="entry-content">${STORY.map((t) => `<p>${t}</p>`).join('')}</div>
      <div class="next-posts">${excerpt('Turnhalle gesperrt')}${excerpt('Neue Mensa eröffnet')}${excerpt('Streit um Schulbusse')}</div>
    </div></section></body></html>`;
    const text = textOf(html);
    expect(text).toContain(STORY[3]);
    expect(text).not.toContain('Neue Mensa eröffnet');
  });

  it('chrome-fallback: a story a CMS put inside <aside> is found when nothing else has text', () => {
    const links = Array.from({ length: 30 }, (_, i) => `<li><a href="/seite-${i}">Unterseite Nummer ${i} der Gemeinde</a></li>`).join('');
    const html = (wrap: string): string => `<html><body><header><a href="/">Startseite</a></header>
      <main><${wrap} class="nfy-pa"><article><div class="text-detail">${STORY.map((t) => `<p>${t}</p>`).join('')}</div></article></${wrap}></main>
      <footer><ul>${links}</ul></footer></body></html>`;
    expect(textOf(html('aside'))).toContain(STORY[0]);
    expect(textOf(html('div'))).toContain(STORY[0]);
  });

  it('named-body: the content widens to the element the theme names as the article body', () => {
    const facts = '<ul class="facts"><li>Baujahr: 1958, Architekt Hans Meier</li><li>Kosten der Sanierung: 2,4 Millionen Euro</li><li>Fertigstellung geplant im Herbst</li></ul>';
    const html = (cls: string): string => `<html><body><div class="site"><div class="${cls}">${facts}
      <div class="text-block">${STORY.map((t) => `<p>${t}</p>`).join('')}</div></div>
      <div class="sidebar-box"><p>Anzeigen und Termine aus der Region finden Sie im Kalender.</p></div></div></body></html>`;
    expect(textOf(html('entry-content'))).toContain('Kosten der Sanierung');
    expect(textOf(html('box-wrapper'))).not.toContain('Kosten der Sanierung');
  });

  it('recipe-ingredients: the ingredient table beside the method joins it', () => {
    const method = [
      'Als erstes den Pudding kochen, aus Milch, Puddingpulver und Zucker, und zum Abkühlen zur Seite stellen, dabei Folie auf die Oberfläche legen.',
      'Für den Mürbeteig Mehl, Zucker, Ei und Butter zu einem glatten Teig verkneten, in die Springform drücken und einen Rand formen.',
      'Den Schmand mit dem abgekühlten Pudding verrühren, die Mandarinen unterheben und die Masse auf den Teig geben, dann etwa achtzig Minuten backen.',
    ];
    const table = (cls: string): string => `<div class="${cls}"><table><tr><td>250 g</td><td>Mehl</td></tr><tr><td>125 g</td><td>Margarine oder Butter</td></tr><tr><td>3 Dosen</td><td>Mandarinen</td></tr></table></div>`;
    const html = (cls: string): string => `<html><body><main class="container"><article class="box">${table(cls)}</article>
      <article class="box"><h2>Zubereitung</h2><div class="recipe-text">${method.map((t) => `<p>${t}</p>`).join('')}</div></article></main></body></html>`;
    const text = textOf(html('recipe-ingredients'));
    expect(text).toContain('Margarine oder Butter');
    expect(text.indexOf('Margarine')).toBeLessThan(text.indexOf('Als erstes'));
    expect(textOf(html('shop-box'))).not.toContain('Margarine oder Butter');
  });

  it('loose-text: with enough paragraph text, labels in bare divs go; prose in a div stays', () => {
    const more = '<p>Der Gemeinderat will im Frühjahr außerdem über einen Anbau mit zwei zusätzlichen Klassenräumen und einer Mensa entscheiden, für den bislang allerdings noch keine Förderzusage vorliegt.</p><p>Die Schulleitung begrüßte den Beschluss und kündigte an, die Eltern bei einem Informationsabend über den genauen Ablauf der Arbeiten zu unterrichten.</p>';
    const label = '<div class="post-info">Kategorie: Lokales</div>';
    expect(textOf(page(label, more))).not.toContain('Kategorie: Lokales');
    const prose = '<div class="note">Die Sanierung des Gebäudes war bereits 2015 geplant, wurde damals aber wegen fehlender Fördermittel und eines Streits um die Denkmalauflagen auf unbestimmte Zeit verschoben.</div>';
    expect(textOf(page(prose, more))).toContain('wegen fehlender Fördermittel');
    // Short content keeps its loose text: it may be all there is.
    const short = `<html><body><div class="entry-content"><p>${STORY[0]}</p>${label}</div></body></html>`;
    expect(textOf(short)).toContain('Kategorie: Lokales');
  });
});
