import { Parser } from 'htmlparser2';
import { Deadline } from '../../../src/ops/extract/limits.ts';
import { parseMetered, type ParseHandler, type ParseLimits } from '../../../src/ops/extract/parser.ts';

/** Attributes kept in the recorded events: the extractor's, plus a few it does not read. */
export const KEPT_ATTRIBUTES: ReadonlySet<string> = new Set([
  'class', 'id', 'role', 'href', 'hidden', 'aria-hidden', 'style', 'type', 'name', 'property', 'itemprop', 'content',
  'title', 'alt', 'src', 'data-x',
]);

function openEvent(name: string, attribs: Readonly<Record<string, string>>): string {
  const kept = Object.keys(attribs).filter((k) => KEPT_ATTRIBUTES.has(k)).sort().map((k) => [k, attribs[k]]);
  return `open ${name} ${JSON.stringify(kept)}`;
}

/** The event stream of htmlparser2's `Parser` (the extractor's parser before it was replaced):
 *  opening tags with the kept attributes (sorted), text pieces, closing tags with `implied`. */
export function oracleEvents(html: string): string[] {
  const events: string[] = [];
  new Parser({
    onopentag: (name, attribs) => { events.push(openEvent(name, attribs)); },
    ontext: (text) => { events.push(`text ${JSON.stringify(text)}`); },
    onclosetag: (name, implied) => { events.push(`close ${name} ${implied}`); },
  }, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true }).end(html);
  return events;
}

/** The same stream from the extractor's parser, unbounded (`maxOpen` huge, no work budget). */
export function parserEvents(html: string, maxOpen = 1e9): string[] {
  const events: string[] = [];
  parseMetered(html, {
    onopentag: (name, attribs) => { events.push(openEvent(name, attribs)); },
    ontext: (text) => { events.push(`text ${JSON.stringify(text)}`); },
    onclosetag: (name, implied) => { events.push(`close ${name} ${implied}`); },
  }, new Deadline(1e12), { maxOpen, attributes: KEPT_ATTRIBUTES });
  return events;
}

/** A deadline that never expires and counts the work steps charged to it. */
class CountingDeadline extends Deadline {
  steps = 0;
  constructor() { super(1e12); }
  override tick(steps = 1): void { this.steps += steps; }
}

type ParseFn = (html: string, handler: ParseHandler, deadline: Deadline, limits: ParseLimits) => void;

/** The event stream of a bounded parse (`maxOpen`), ending with the work steps it charged. */
export function boundedEvents(parse: ParseFn, html: string, maxOpen: number): string[] {
  const events: string[] = [];
  const deadline = new CountingDeadline();
  parse(html, {
    onopentag: (name, attribs) => { events.push(openEvent(name, attribs)); },
    ontext: (text) => { events.push(`text ${JSON.stringify(text)}`); },
    onclosetag: (name, implied) => { events.push(`close ${name} ${implied}`); },
  }, deadline, { maxOpen, attributes: KEPT_ATTRIBUTES });
  events.push(`steps ${deadline.steps}`);
  return events;
}

/** The first event where two streams differ, with a little context; null when they are equal. */
export function firstDifference(expected: readonly string[], actual: readonly string[]): string | null {
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    if (expected[i] !== actual[i]) {
      return `event ${i}: expected ${expected[i] ?? '<end>'} but got ${actual[i] ?? '<end>'}` +
        ` (after ${JSON.stringify(expected.slice(Math.max(0, i - 3), i))})`;
    }
  }
  return null;
}

/** Elements whose subtrees {@link skippingEvents} ignores, as the extractor's DOM builder does its own. */
const SKIPPED = new Set(['script', 'style', 'svg', 'select', 'title', 'textarea', 'button']);

/**
 * The events a handler that skips the subtrees of {@link SKIPPED} elements records, with the work
 * steps charged. With `ask`, it tells the parser (`wantsContent`) while it skips, so the parser
 * gives it `''` for text and no attributes there; without, it is given everything and ignores it.
 */
export function skippingEvents(html: string, maxOpen: number, ask: boolean): string[] {
  const events: string[] = [];
  const deadline = new CountingDeadline();
  let skip = 0;
  const handler: ParseHandler = {
    onopentag: (name, attribs) => {
      if (skip > 0) { skip++; return; }
      events.push(openEvent(name, attribs));
      if (SKIPPED.has(name)) skip = 1;
    },
    ontext: (text) => { if (skip === 0) events.push(`text ${JSON.stringify(text)}`); },
    onclosetag: (name, implied) => {
      if (skip > 0) { skip--; return; }
      events.push(`close ${name} ${implied}`);
    },
    ...(ask ? { wantsContent: () => skip === 0 } : {}),
  };
  parseMetered(html, handler, deadline, { maxOpen, attributes: KEPT_ATTRIBUTES });
  events.push(`steps ${deadline.steps}`);
  return events;
}
