import { Parser, type Handler, type ParserOptions } from 'htmlparser2';
import type { Deadline } from './limits.ts';

/**
 * Open elements per extra work step charged on a tag. htmlparser2 keeps its open elements in an
 * array it grows with `unshift` and searches with `indexOf`, so a tag costs time in proportion to
 * how many elements are open: about 1 ns per element, where one work step costs 100-150 ns.
 * Charging a step per 128 open elements keeps the count in line with the time, so the work budget
 * ends deeply nested input (100k unclosed tables would otherwise be quadratic: ~30 s) after about
 * a second. Real pages keep under 40 elements open, so their tags cost one step each.
 */
const OPEN_PER_STEP = 128;

/** The parser's open-element count, kept from callbacks, and the budget tags are charged to. */
interface Meter { open: number; readonly deadline: Deadline }

/**
 * The tokenizer calls these two methods for every tag token, including closing tags that match
 * nothing and a nested <form> that htmlparser2 drops: those scan the open elements without any
 * callback, so charging in the callbacks alone would leave them free.
 */
class MeteredParser extends Parser {
  constructor(handler: Partial<Handler>, options: ParserOptions, private readonly meter: Meter) {
    super(handler, options);
  }

  override onopentagname(start: number, endIndex: number): void {
    this.meter.deadline.tick(1 + Math.floor(this.meter.open / OPEN_PER_STEP));
    super.onopentagname(start, endIndex);
  }

  override onclosetag(start: number, endIndex: number): void {
    this.meter.deadline.tick(1 + Math.floor(this.meter.open / OPEN_PER_STEP));
    super.onclosetag(start, endIndex);
  }
}

/**
 * Runs htmlparser2 over `html`, charging every tag (opening or closing, matched or not) to
 * `deadline` by the number of elements open at that moment, so the parser's own work counts
 * against the budget, not only the callbacks it makes. Throws `ExtractLimitError` out of the
 * parse when the budget runs out.
 */
export function parseMetered(html: string, handler: Partial<Handler>, options: ParserOptions, deadline: Deadline): void {
  const meter: Meter = { open: 0, deadline };
  // htmlparser2 announces every element it pushes with `onopentagname` and every pop with
  // `onclosetag` (a void element gets both at once), so these track its stack length.
  const counted: Partial<Handler> = {
    ...handler,
    onopentagname(name) { meter.open++; handler.onopentagname?.(name); },
    onclosetag(name, implied) { meter.open--; handler.onclosetag?.(name, implied); },
  };
  new MeteredParser(counted, options, meter).end(html);
}
