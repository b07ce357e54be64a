import { inputSize, readInputBytes, readInputRange } from '../location/input-file.ts';
import { FileWindow } from './file-window.ts';
import { frameGzip, framePlain, nextPlainRecord, type FramedItem, type FramingLimits } from './framing.ts';
import { nextWarcMember } from './gzip-member.ts';

/**
 * Reading a WARC object on S3 with the same synchronous framing code as a local file. The framing
 * functions ask a window for bytes and expect them at once; a remote window holds what was fetched
 * so far and, asked for bytes it does not hold, throws {@link NeedBytes}. The async driver then
 * fetches more and frames again from the last record it handed out, skipping what it already
 * yielded. Framing is a pure function of the bytes, so a restart reproduces the same items, and
 * each fetch adds at least {@link STEP} bytes, so restarts stay rare (one per few MiB).
 */

/** Bytes added per fetch while reading a task's range. */
const STEP = 4 << 20;
/** Bytes fetched at least when framing looks past the range's end (a record's validation, a resync). */
const TAIL = 64 << 10;

/** Thrown by a {@link RemoteWindow} asked for bytes not fetched yet: fetch up to `need`, then frame again. */
class NeedBytes extends Error {
  constructor(readonly need: number) {
    super(`window needs bytes up to ${need}`);
  }
}

/**
 * The fetched bytes `[base, end)` of one object. Inside the task's range `[start, rangeEnd)` they
 * come from one streamed ranged read (read-ahead keeps the connection busy while framing runs);
 * past it, and when planning, from ranged GETs of what is needed.
 */
class RemoteBytes {
  private buf = Buffer.alloc(0);
  private stream: AsyncIterator<Uint8Array> | undefined;

  constructor(readonly uri: string, readonly size: number, private base: number, private readonly rangeEnd: number) {}

  get start(): number { return this.base; }
  get end(): number { return this.base + this.buf.length; }

  /** Copies fetched bytes from `pos` into `out`; 0 when `pos` is not fetched. */
  copy(out: Buffer, off: number, len: number, pos: number): number {
    if (pos < this.base || pos >= this.end) return 0;
    const n = Math.min(len, this.end - pos);
    this.buf.copy(out, off, pos - this.base, pos - this.base + n);
    return n;
  }

  /** Forgets bytes before `pos` (already framed). */
  drop(pos: number): void {
    if (pos <= this.base) return;
    const to = Math.min(pos, this.end);
    this.buf = this.buf.subarray(to - this.base);
    this.base = to;
  }

  /** Fetches at least up to `need` (capped at the object's size). */
  async fill(need: number, streamed: boolean): Promise<void> {
    const inRange = need <= this.rangeEnd;
    const target = Math.min(this.size, inRange ? Math.min(this.rangeEnd, Math.max(need, this.end + STEP)) : Math.max(need, this.end + TAIL));
    const pieces: Uint8Array[] = [this.buf];
    let end = this.end;
    if (streamed) {
      this.stream ??= readInputRange(this.uri, end, this.rangeEnd)[Symbol.asyncIterator]();
      while (end < Math.min(target, this.rangeEnd)) {
        const r = await this.stream.next();
        if (r.done) throw new Error(`${this.uri}: read ended at byte ${end}, before ${this.rangeEnd}`);
        pieces.push(r.value);
        end += r.value.length;
      }
    }
    if (target > end) {
      pieces.push(await readInputBytes(this.uri, end, target));
      end = target;
    }
    this.buf = Buffer.concat(pieces);
  }

  /** Stops the streamed read (when the consumer stops early or the range is done). */
  async close(): Promise<void> {
    await this.stream?.return?.();
  }
}

/** A {@link FileWindow} over fetched bytes: what is not fetched yet raises {@link NeedBytes} instead of looking like the end of the file. */
class RemoteWindow extends FileWindow {
  constructor(private readonly bytes: RemoteBytes) {
    super(-1, bytes.size);
  }

  protected override readAt(buf: Buffer, off: number, len: number, pos: number): number {
    return this.bytes.copy(buf, off, len, pos);
  }

  override ensure(pos: number, n: number): number {
    const got = super.ensure(pos, n);
    const want = Math.min(n, this.size - pos);
    if (got < want) throw new NeedBytes(pos + want);
    return got;
  }

  override peek(pos: number, n: number): Buffer {
    const out = super.peek(pos, n);
    const want = Math.max(0, Math.min(n, this.size - pos));
    if (out.length < want) throw new NeedBytes(pos + want);
    return out;
  }
}

/** Runs a synchronous search over a remote window, fetching and retrying until it has the bytes it needs. */
async function withBytes<T>(bytes: RemoteBytes, streamed: boolean, fn: (win: FileWindow) => T): Promise<T> {
  for (;;) {
    try {
      return fn(new RemoteWindow(bytes));
    } catch (e) {
      if (!(e instanceof NeedBytes)) throw e;
      await bytes.fill(e.need, streamed);
    }
  }
}

/** Whether the object starts with the gzip magic (one 2-byte ranged GET); empty objects count as uncompressed, as local files do. */
async function isGzipObject(uri: string, size: number): Promise<boolean> {
  if (size < 2) return false;
  const head = await readInputBytes(uri, 0, 2);
  return head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * The framed records (members) that start in `[start, end)` of a WARC object, as
 * `readWarcRange` frames a local file: the task's range is streamed with ranged GETs, and only
 * what framing looks at past its end (nothing, for a well-formed file split at record starts) is
 * fetched beyond it. Record blocks are views valid until the next item.
 */
export async function* frameRemoteWarc(uri: string, start: number, end: number, limits: FramingLimits): AsyncGenerator<FramedItem> {
  const size = await inputSize(uri, { fresh: true });
  const stop = Math.min(end, size);
  if (start >= stop) return;
  const gz = await isGzipObject(uri, size);
  const bytes = new RemoteBytes(uri, size, start, stop);
  let from = start;
  let last = -Infinity;
  try {
    for (;;) {
      const win = new RemoteWindow(bytes);
      try {
        for (const item of gz ? frameGzip(win, from, stop, limits) : framePlain(win, from, stop, limits)) {
          const pos = 'bad' in item ? item.bad.pos : item.record.pos;
          if (pos <= last) continue;
          last = pos;
          yield item;
          from = Math.floor(pos);
          bytes.drop(from);
        }
        return;
      } catch (e) {
        if (!(e instanceof NeedBytes)) throw e;
        await bytes.fill(e.need, true);
      }
    }
  } finally {
    await bytes.close();
  }
}

/**
 * Split points of a WARC object at about every `targetBytes`, found as `splitPoints` finds them
 * in a local file (the same boundary search on the same bytes), reading only the bytes around each
 * candidate point: about 1 MiB per split (the search's window), never the whole object.
 */
export async function remoteSplitPoints(uri: string, targetBytes: number): Promise<{ size: number; points: number[] }> {
  const size = await inputSize(uri);
  const points = [0];
  if (size <= targetBytes) return { size, points };
  const gz = await isGzipObject(uri, size);
  for (let b = targetBytes; b < size; b += targetBytes) {
    if (b <= points[points.length - 1]!) continue;
    const from = b;
    const p = await withBytes(new RemoteBytes(uri, size, from, size), false, (win) => (gz ? nextWarcMember(win, from, size) : nextPlainRecord(win, from, size)));
    if (p >= size) break;
    if (p > points[points.length - 1]!) points.push(p);
    if (p > b) b = p - (p % targetBytes);
  }
  return { size, points };
}
