import { describe, expect, it } from 'vitest';
import { textOf } from './helpers.ts';

/**
 * One test per cleaning/selection rule, each on a fragment of a real page from the Readability.js
 * test set (/work/shared/data/extraction-dev, Apache-2.0; see fixtures/SOURCES.md), trimmed to what
 * the rule decides on. Each test also checks the counterfactual, so it fails if the rule is gone.
 */

const prose = (s: string): string => `<p>${s}</p>`;

/** mozilla-2: a developer-edition landing page whose "Features and tools" box is a heading over a list. */
function featureBox(items: number): string {
  const feature = (name: string, text: string, slug: string): string =>
    `<li class="feature"><a href="https://www.youtube.com/watch?v=${slug}" rel="external" class="video-play"><img src="feature.jpg" alt="Screenshot" class="screenshot"/></a>
      <h2>${name}</h2><p>${text}</p>
      <a href="https://developer.mozilla.org/docs/Tools/${slug}" rel="external" class="more">Learn more about ${name}</a></li>`;
  const all = [
    feature('Page Inspector', 'Examine the HTML and CSS of any Web page and easily modify the structure and layout of a page.', 'Page_Inspector'),
    feature('Web Console', 'See logged information associated with a Web page and use Web Console to interact with Web pages using JavaScript.', 'Web_Console'),
    feature('JavaScript Debugger', 'Step through JavaScript code and examine or modify its state to help track down bugs.', 'Debugger'),
    feature('Network Monitor', 'See all the network requests your browser makes, how long each request takes and details of each request.', 'Network_Monitor'),
  ].slice(0, items);
  return `<section class="more-features"><div class="container"><header><h2>Features and tools</h2></header>
    <ul class="features">${all.join('\n')}</ul></div></section>`;
}

const MOZILLA_2 = `<html><body><div class="outer-wrapper"><div class="wrapper"><main role="main" class="sync-reminder">
  <section class="intro container"><header><h1>Welcome to <span>Firefox Developer Edition</span></h1>
  <p>Get to know the features that make it the most complete browser for building the Web.</p></header>
  <ul class="features"><li class="feature"><h2>WebIDE</h2><p>Develop, deploy and debug Firefox OS apps directly in your browser, or on a Firefox OS device, with this tool that replaces App Manager.</p>
  <a href="https://developer.mozilla.org/docs/Tools/WebIDE" rel="external" class="more">Learn more about WebIDE</a></li></ul>
  <div class="notice"><h4>Important: Sync your new profile</h4><p>Developer Edition comes with a new profile so you can run it alongside other versions of Firefox. To access your bookmarks, browsing history and more, you need to sync the profile with your existing Firefox Account, or create a new one.
  <a href="https://support.mozilla.org/kb/recover-lost-bookmarks-firefox-developer-edition" rel="external" class="more">Learn more</a></p></div></section>
  FEATURES
</main></div></div></body></html>`;

/** mozilla-1: the "Keep your Firefox in Sync" promo closing the page's main element, markup verbatim. */
const SYNC_PROMO = `            <section id="sync" class="ga-section" data-ga-label="Keep your Firefox in Sync">
                <div class="container">
                     <h2>Keep your Firefox in Sync</h2>

                    <p class="lead">LEAD</p>
                    <div class="sync-anim">
                        <div class="device laptop">
                            <div class="inner">
                                <div class="logo"></div>
                                <div class="icon history"></div>
                                <div class="icon bookmarks"></div>
                                <div class="icon passwords"></div>
                            </div>
                            <div class="arrows"></div>
                        </div>
                        <div class="device tablet">
                            <div class="inner">
                                <div class="logo"></div>
                                <div class="icon history"></div>
                                <div class="icon bookmarks"></div>
                                <div class="icon passwords"></div>
                            </div>
                        </div>
                        <div class="device phone">
                            <div class="inner">
                                <div class="logo"></div>
                                <div class="icon history"></div>
                                <div class="icon bookmarks"></div>
                                <div class="icon passwords"></div>
                            </div>
                        </div>
                    </div> <a class="button" id="sync-button" href="http://www.mozilla.org/mobile/sync/"><span></span>Learn more about Sync</a>

                    <br/> <a class="more" rel="external" href="https://support.mozilla.org/kb/how-do-i-set-up-firefox-sync">Get help with Sync</a>

                </div>
            </section>`;

describe('extraction rules on real page fragments', () => {
  it('a box that is nearly all list is judged as a list, not cut as link-dense (mozilla-2)', () => {
    const text = textOf(MOZILLA_2.replace('FEATURES', featureBox(4)));
    expect(text).toContain('Features and tools');
    expect(text).toContain('Examine the HTML and CSS of any Web page');
    expect(text).toContain('details of each request.');
    // Counterfactual: the same links in a box that is mostly not list text are still cut.
    const linky = `<div class="container"><h2>Elsewhere on the site</h2>${Array.from({ length: 4 }, (_, i) =>
      `<p><a href="/page-${i}">Another page about developer tools and browsers</a> with a short note.</p>`).join('')}</div>`;
    expect(textOf(MOZILLA_2.replace('FEATURES', linky))).not.toContain('Elsewhere on the site');
  });

  it('in-page links (a table of contents) weigh 0.3 in link density (mercurial)', () => {
    const toc = (href: (slug: string) => string): string => `<html><body><div class="document"><div class="content">
      <div class="section" id="evolve-shared-mutable-history"><h1>Evolve: Shared Mutable History</h1>
      <div class="contents topic" id="contents"><p class="topic-title first">Contents</p><ul class="simple">
      ${['sharing-with-a-single-developer', 'publishing-and-non-publishing-repositories', 'example-1-amend-a-shared-changeset',
        'example-2-amend-again-locally'].map((s) => `<li><a class="reference internal" href="${href(s)}">${s.replace(/-/g, ' ')}</a></li>`).join('')}
      </ul><p>Shared history is rewritten with care; each example below starts from a fresh clone of the repository.</p></div>
      ${prose('Once you have mastered the art of mutable history in a single repository, you might want to move up to the next level: shared mutable history. evolve lets you push and pull draft changesets between repositories along with their obsolescence markers.')}
      ${prose('This opens up a number of interesting possibilities. The most common scenario is a single developer working across two computers, and the next is code review by a small team of colleagues.')}
      ${prose('The simplest scenario is a single developer working across two computers. Say you are working on code that must be tested on a remote test server, probably in a rack somewhere, only accessible by SSH.')}
      </div></div></div></body></html>`;
    const text = textOf(toc((s) => `#${s}`));
    expect(text).toContain('publishing and non publishing repositories');
    expect(text).toContain('shared mutable history');
    // The same box linking to other pages is navigation and goes.
    expect(textOf(toc((s) => `${s}.html`))).not.toContain('publishing and non publishing repositories');
  });

  it('an image widget with its caption goes, the article around it stays (bug-1255978)', () => {
    const media = (caption: string, link: boolean): string => `<div class="dnd-widget-wrapper context-sdl_editor_representation type-image">
      <div class="dnd-atom-rendered"><div class="image"><img src="bandb2.jpg" alt="bandb2.jpg" width="564" height="423" /></div></div>
      <div class="dnd-caption-wrapper">${link ? `<a href="/gallery">${caption}</a>` : caption}</div></div>`;
    const page = (box: string): string => `<html><body><div class="content"><article class="full-article"><div class="main-content-column">
      <div class="text-wrapper">
      ${prose('Most people go to hotels for the pleasure of sleeping in a giant bed with clean white sheets and waking up to fresh towels in the morning.')}
      ${prose('But those towels and sheets might not be as clean as they look, according to the hotel bosses that responded to an online thread about the things hotel owners don’t want you to know.')}
      ${prose('Zeev Sharon and Michael Forrest Jones both run hotel start-ups in the US. Forrest Jones runs the start-up Beechmont Hotels Corporation, a hotel operating company that consults with hotel owners on how they can improve their business.')}
      ${box}
      ${prose('1. Take any blankets or duvets off the bed')}
      ${prose('Forrest Jones said that anything that comes into contact with any of the previous guest’s skin should be taken out and washed every time the room is made, but that even the fanciest hotels don’t always do so.')}
      </div></div></article></div></body></html>`;
    const caption = 'Even posh hotels might not wash a blanket in between stays';
    // Photo captions are not running text (rules \`captions\` and \`named-boilerplate\`), but the
    // media box does not take the article down with it.
    const text = textOf(page(media(caption, false)));
    expect(text).not.toContain(caption);
    expect(text).toContain('1. Take any blankets or duvets off the bed');
    expect(text).toContain('Zeev Sharon and Michael Forrest Jones');
    // A widget whose text is a link (a promo tile) is still boilerplate.
    expect(textOf(page(media(caption, true)))).not.toContain(caption);
  });

  it('a story split into same-class chunks around an interrupter is joined (nytimes-2)', () => {
    const chunk1 = [
      'Yahoo’s $4.8 billion sale to Verizon is a complicated beast, showing how different acquisition structures can affect how shareholders are treated.',
      'First, let’s say what the Yahoo sale is not. It is not a sale of the publicly traded company. Instead, it is a sale of the Yahoo subsidiary and some related assets to Verizon.',
      'The sale is being done in two steps. The first step will be the transfer of any assets related to Yahoo business to a singular subsidiary.',
    ];
    // The second chunk verbatim: on the real page it holds most of the story, which is why its own
    // container, not the article around both chunks, is the top candidate.
    const chunk2 = [
      'In the second step, at the closing, Yahoo will sell the stock in the single subsidiary to Verizon. At that point, Yahoo will change its name to something without “Yahoo” in it. My favorite is simply Remain Co., the name Yahoo executives are using. Remain Co. will become a holding company for the Alibaba and Yahoo Japan stock. Included will also be $10 billion in cash, plus the Excalibur patent portfolio and a number of minority investments including Snapchat. Ahh, if only Yahoo had bought Snapchat instead of Tumblr (indeed, if only Yahoo had bought Google or Facebook when it had the chance).',
      'Because it is a sale of a subsidiary, the $4.8 billion will be paid to Yahoo. Its shareholders will not receive any money unless Yahoo pays it out in a dividend (after paying taxes). Instead, Yahoo shareholders will be left holding shares in the renamed company.',
      'Verizon’s Yahoo will then be run under the same umbrella as AOL. It is unclear whether there will be a further merger of the two businesses after the acquisition. Plans for Yahoo are still a bit in flux in part because of the abnormal sale process.',
      'As for Remain Co., it will become a so-called investment company. This is a special designation for a company that holds securities for investment but does not operate a working business. Investment companies are subject to special regulation under the Investment Company Act of 1940. Remain Co. will probably just sit there, returning cash to shareholders and waiting for Alibaba to buy it in a tax-free transaction. (Alibaba says it has no plans to do this, but most people do not believe this).',
      'The rights of Yahoo shareholders in this sale will be different from those in an ordinary sale, when an entire company is bought.',
      'Ordinary sales are done in one of two ways: in a merger where the target is merged into a subsidiary of the buyer and the target shareholders receive the cash (or other consideration), or in a tender offer that gives the target shareholders a choice to tender into the offer or not. Then there will be a merger where the target is merged into the buyer’s subsidiary and the target shareholders are forcibly squeezed out, receiving the merger consideration. (if you want to know why you would choose one structure over another, I wrote a good primer in 2009.)',
      'In either case, shareholders get a say. They either vote on the merger or decide whether to tender into the offer.',
      'In both cases, there would be appraisal rights if the buyer pays cash. This means that shareholders can object to the deal by not voting for it or not tendering into the offer and instead asking a court to value their shares – this is what happened in Dell’s buyout in 2013.',
      'The Yahoo deal, however, is not a sale of the public company. It is an asset sale, in which there is only a shareholder vote if there is a sale of “all” or “substantially all” of the assets of the company. Yahoo is not all of the assets or even “substantially all” – the Alibaba shares being left behind in Remain Co. are worth about $28 billion, or six times the value of the cash Verizon is paying for the Yahoo assets it is buying.',
      'The courts have held that the definition of “substantially all” includes a change of business in a company because of an asset sale where the assets are “qualitatively vital.” And that certainly applies here. So there will be a vote – indeed, Yahoo has no problem with a vote – and shareholders are desperate to sell at this point.',
      'There will be no appraisal rights, however. Again, in an asset sale, there are no appraisal rights. So anyone who votes against the deal and thinks this is a bum price is out of luck.',
      'The different standards for voting and appraisal rights apply because the structure of the deal is a quirk of the law in Delaware, where Yahoo is incorporated, that allows lawyers to sometimes work around these issues simply by changing the way a deal is done.',
      'In Yahoo’s case, this is not deliberate, though. It is simply the most expedient way to get rid of the assets.',
      'Whether this is the most tax-efficient way is unclear to me as a nontax lawyer (email me if you know). Yahoo is likely to have a tax bill on the sale, possibly a substantial one. And I presume there were legal reasons for not using a Morris Trust structure, in which Yahoo would have been spun off and immediately sold to Verizon so that only Yahoo’s shareholders paid tax on the deal. In truth, the Yahoo assets being sold are only about 10 percent of the value of the company, so the time and logistics for such a sale when Yahoo is a melting ice cube may not have been worth it.',
      'Finally, if another bidder still wants to acquire Yahoo, it has time. The agreement with Verizon allows Yahoo to terminate the deal and accept a superior offer by paying a $144 million breakup fee to Verizon. And if Yahoo shareholders change their minds and want to stick with Yahoo’s chief executive, Marissa Mayer, and vote down the deal, there is a so-called naked no-vote termination fee of $15 million payable to Verizon to reimburse expenses.',
      'All in all, this was as hairy a deal as they come. There was the procedural and logistical complications of selling a company when the chief executive wanted to stay. Then there was the fact that this was an asset sale, including all of the challenges that go with it. Throw in all of the tax issues and the fact that this is a public company, and it is likely that the lawyers involved will have nightmares for years to come.',
    ];
    const page = (firstClass: string): string => `<html><body><main id="main" role="main"><article id="story" class="story theme-main">
      <header><h1>Yahoo’s Sale to Verizon Leaves Shareholders With Little Say</h1></header>
      <div class="${firstClass}"><div class="story-body story-body-1">${chunk1.map(prose).join('')}</div>
        <div class="supplemental"><a href="/other-story">Another story you might like to read today</a></div></div>
      <div class="story-interrupter" id="story-continues-1"><p><a href="#story-continues-2">Continue reading the main story</a></p></div>
      <div class="story-body-supplemental"><div class="story-body story-body-2">${chunk2.map(prose).join('')}</div>
        <div class="supplemental supplemental-2"><a href="/business">More in Business</a></div></div>
      </article></main></body></html>`;
    const text = textOf(page('story-body-supplemental'));
    expect(text).toContain(chunk1[0]);
    expect(text).toContain(chunk2[4]);
    expect(text).not.toContain('Another story you might like');
    // Counterfactual: a differently classed first box is not a chunk of the same story.
    expect(textOf(page('dealbook-teaser-box'))).not.toContain(chunk1[0]);
  });

  it('a standfirst set as a div without blocks joins the article like a paragraph (aktualne)', () => {
    const perex = 'Zázrak jedné sezony? West Ham dává pochybovačům stále pádnější odpovědi a fotbalový svět si začíná uvědomovat, že se absolutní anglická fotbalová elita rozrůstá o nového člena.';
    const body = [
      'Pět vítězných soutěžních duelů v řadě, během nich jediný inkasovaný gól. Čtvrté místo v lize, stejný bodový zisk jako loňský šampion Manchester City.',
      'Tým manažera Davida Moyese prohání giganty i v aktuální sezoně, a to i přesto, že mu v létě odešlo několik opor, které tým táhly v minulém ročníku.',
      'Tomáš Souček je v sestavě West Hamu stálicí, v záloze odvádí nenápadnou, ale pro tým nepostradatelnou práci, kterou ocení hlavně trenéři a spoluhráči.',
      'Zdůrazňuje to i bývalý anglický reprezentant, podle kterého se o Součkovi mluví málo, protože jeho práce není vidět v počtu gólů, ale v celém výkonu týmu.',
    ];
    const text = textOf(`<html><body><div class="left-column"><div class="article">
      <div class="author author--article"><a href="/autori/ales-vavra/" class="author__name">Aleš Vávra</a><div class="author__date">před 2 hodinami</div></div>
      <div class="article__perex">${perex}</div>
      <div class="article__content" id="article-content">${body.map(prose).join('')}</div>
      <div class="article__tags"><a href="/tema/west-ham">West Ham United</a> <a href="/tema/premier-league">Premier League</a></div>
      </div></div></body></html>`);
    expect(text).toContain(perex);
    expect(text.indexOf(perex)).toBeLessThan(text.indexOf(body[0]!));
    expect(text).not.toContain('Aleš Vávra');
    expect(text).not.toContain('Premier League');
  });

  it('a list item with the top item’s base class but another modifier joins it (buzzfeed-1)', () => {
    const lede = 'The mother of a woman who took suspected diet pills bought online has described how her daughter was “literally burning up from within” moments before her death.';
    const item = (kind: string, id: string, html: string): string =>
      `<div class="buzz_superlist_item buzz_superlist_item_${kind}  buzz_superlist_item_wide " id="superlist_${id}">${html}</div>`;
    const page = (base: string): string => `<html><body><div data-print="body"><div id="buzz_sub_buzz" class="c suplist_article suplist_list_show ">
      <div class="${base} buzz_superlist_item_image  buzz_superlist_item_wide image_hit no_caption " id="superlist_5547137"><h2>${lede}</h2>
        <div class="sub_buzz_content"><img src="enhanced-6418.jpg"/><p class="print"><a href="enhanced-6418.jpg" rel="nofollow"><b>View this image ›</b></a></p></div>
        <p class="article_caption_w_attr"> <span class="sub_buzz_source_via buzz_attribution buzz_attr_no_caption">West Merica Police</span></p></div>
      ${item('text', '5547213', [
        'Eloise Parry, 21, was taken to Royal Shrewsbury hospital on 12 April after taking a lethal dose of highly toxic “slimming tablets”.',
        '“The drug was in her system, there was no anti-dote, two tablets was a lethal dose – and she had taken eight,” her mother, Fiona, said in a statement yesterday.',
        '“As Eloise deteriorated, the staff in A&amp;E did all they could to stabilise her. As the drug kicked in and started to make her metabolism soar, they attempted to cool her down, but they were fighting an uphill battle.',
        '“She was literally burning up from within.”',
        'She added: “They never stood a chance of saving her. She burned and crashed.”'].map(prose).join(''))}
      ${item('text', '5547284', [
        'West Mercia police said the tablets were believed to contain dinitrophenol, known as DNP, which is a highly toxic industrial chemical.',
        '“We are undoubtedly concerned over the origin and sale of these pills and are working with partner agencies to establish where they were bought from and how they were advertised,” said chief inspector Jennifer Mattinson from the West Mercia police.',
        'The Food Standards Agency warned people to stay away from slimming products that contained DNP.'].map(prose).join(''))}
      </div></div></body></html>`;
    const text = textOf(page('buzz_superlist_item'));
    expect(text).toContain(lede);
    expect(text.indexOf(lede)).toBeLessThan(text.indexOf('Eloise Parry, 21'));
    // Counterfactual: a box with an unrelated class is not a sibling item of the list.
    expect(textOf(page('hero_promo_box'))).not.toContain(lede);
  });

  it('markup indentation between blocks is not text: a promo of empty decorative boxes is link-dense (mozilla-1)', () => {
    const sync = (lead: string): string => SYNC_PROMO.replace('LEAD', lead);
    const page = (promo: string): string => `<html><body><main role="main" class="main-content">
      <header><h1>Make Firefox your own</h1></header>
      ${prose('There are tons of ways to customize your Firefox. Choose from thousands of themes and dress up your browser with a single click, or rearrange your toolbar to put the features you use most right at your fingertips.')}
      ${prose('Add-ons are like apps that you install to add features to Firefox. They let you compare prices, check the weather, listen to music, send a tweet and more. Read the latest news, manage your downloads, watch videos.')}
      ${prose('The Awesome Bar learns as you browse to make your version of Firefox unique. Find and return to your favorite sites without having to remember a URL, and search from the same place you type addresses.')}
      ${promo}
      </main></body></html>`;
    const lead = 'Access your bookmarks, history, passwords and more from any device to\n                        <br\n                        class="wide-br"/>make Firefox your own wherever you use it.';
    expect(textOf(page(sync(lead)))).not.toContain('Keep your Firefox in Sync');
    // Counterfactual: the same box with a real paragraph of text is content.
    const longer = `${lead} Sync encrypts everything before it leaves your device, so nobody else can read it, not even Mozilla.`;
    expect(textOf(page(sync(longer)))).toContain('Keep your Firefox in Sync');
  });

  it('class and id each weigh ±25: a post named for the article both ways outranks its body (tmz-1)', () => {
    const page = (id: string): string => `<html><body><div id="main-content"><article class="news  single">
      <div class="post single-post" id="${id}">
        <div class="headline"><h2 class="hf1">Lupita Nyong'o</h2><h4 class="hf2">$150K Pearl Oscar Dress ... STOLEN!!!!</h4></div>
        <h5 class="article-posted-date">2/26/2015 7:11 AM PST BY TMZ STAFF</h5>
        <div itemprop="articleBody" class="all-post-body group article-content">
          <div class="primary-image-swipe"><span>EXCLUSIVE</span></div>
          <p><img alt="0225-lupita-nyongo-getty-01" src="lupita.jpg"/><strong>Lupita Nyong</strong>'<strong>o</strong>'s now-famous Oscar dress -- adorned in pearls -- was stolen right out of her hotel room ... TMZ has learned.</p>
          <p>Law enforcement sources tell TMZ ... the dress was taken out of Lupita's room at The London West Hollywood. The dress is made of pearls ... 6,000 white Akoya pearls. It's valued at $150,000.</p>
          <p>Our sources say Lupita told cops it was taken from her room sometime between 8 AM and 9 PM Wednesday ... while she was gone. &nbsp;</p>
          <p>We're told there is security footage that cops are looking at that could catch the culprit right in the act.&nbsp;</p>
          <p><strong>12:00 PM PT</strong> -- Sheriff's deputies were at The London Thursday morning. &nbsp;We know they were in the manager's office and we're told they have looked at security footage to determine if they can ID the culprit.</p>
        </div></div></article></div></body></html>`;
    const text = textOf(page('post-2015_02_26_lupita-nyongo-pearl-dress-stolen-oscars'));
    expect(text).toContain('$150K Pearl Oscar Dress ... STOLEN!!!!');
    expect(text).toContain('BY TMZ STAFF');
    expect(text).toContain('valued at $150,000');
    // Counterfactual: with a neutral id the body alone is the article, as before.
    expect(textOf(page('item-1'))).not.toContain('BY TMZ STAFF');
  });
});
