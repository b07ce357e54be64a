import type { EdgeChunk } from './lsh.ts';

/**
 * Connected components over candidate edges, in two steps that keep memory bounded and the result
 * independent of partitioning:
 * (a) {@link localComponents}, per edge partition (parallel): union-find over that partition's
 *     edges, emitted as a star forest (doc → smallest doc of its local component). Repeated pairs
 *     found by several bands collapse, and the output has fewer edges than nodes.
 * (b) {@link ComponentMerger}: streams every partition's star edges, chunk by chunk (from disk or
 *     the blob store), into one union-find over dense doc ordinals: 4 bytes per document, whatever
 *     the number of edges. Union always keeps the smaller root, so each component's root is its
 *     smallest ordinal, i.e. the first document in input order, for any edge order.
 */

/** Optional check of a candidate pair before uniting it (e.g. exact Jaccard ≥ threshold). */
export type VerifyPair = (a: number, b: number) => boolean;

function find(parent: Uint32Array, x: number): number {
  while (parent[x] !== x) {
    const g = parent[parent[x]!]!;
    parent[x] = g;
    x = g;
  }
  return x;
}

function union(parent: Uint32Array, a: number, b: number): void {
  const ra = find(parent, a);
  const rb = find(parent, b);
  if (ra < rb) parent[rb] = ra;
  else if (rb < ra) parent[ra] = rb;
}

/** Sorted distinct doc ids of an edge list. */
function nodesOf(edges: EdgeChunk): Float64Array {
  const all = new Float64Array(edges.length * 2);
  all.set(edges.src.subarray(0, edges.length), 0);
  all.set(edges.dst.subarray(0, edges.length), edges.length);
  all.sort();
  let m = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[m - 1]) all[m++] = all[i]!;
  return all.subarray(0, m);
}

function indexOf(nodes: Float64Array, doc: number): number {
  let lo = 0;
  let hi = nodes.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (nodes[mid]! < doc) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Step (a): the components of one partition's edges as star edges `src` = component minimum →
 * `dst` = member, sorted by `dst`. Pairs failing `verify` are not united.
 */
export function localComponents(edges: EdgeChunk, verify?: VerifyPair): EdgeChunk {
  const nodes = nodesOf(edges);
  const parent = new Uint32Array(nodes.length);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  for (let e = 0; e < edges.length; e++) {
    const a = edges.src[e]!;
    const b = edges.dst[e]!;
    if (verify && !verify(a, b)) continue;
    union(parent, indexOf(nodes, a), indexOf(nodes, b));
  }
  const src = new Float64Array(nodes.length);
  const dst = new Float64Array(nodes.length);
  let m = 0;
  for (let i = 0; i < nodes.length; i++) {
    const r = find(parent, i);
    if (r === i) continue;
    src[m] = nodes[r]!;
    dst[m++] = nodes[i]!;
  }
  return { length: m, src: src.subarray(0, m), dst: dst.subarray(0, m) };
}

/** Which document each document duplicates, and the sizes of the clusters of kept documents. */
export class Assignments {
  /** `root[d]`: the kept document of `d`'s cluster (`d` itself when kept or unique). */
  readonly root: Uint32Array;
  /** `size[d]`: cluster size for kept documents (1 when unique), 0 for removed ones. */
  readonly size: Uint32Array;

  constructor(root: Uint32Array) {
    this.root = root;
    this.size = new Uint32Array(root.length);
    for (let d = 0; d < root.length; d++) this.size[root[d]!]!++;
  }

  get docCount(): number { return this.root.length; }
  isKept(doc: number): boolean { return this.root[doc] === doc; }
  /** Number of documents that are removed as duplicates. */
  removedCount(): number {
    let n = 0;
    for (let d = 0; d < this.root.length; d++) if (this.root[d] !== d) n++;
    return n;
  }
}

/** Step (b): merges star edges from every partition, fed in chunks, into global components. */
export class ComponentMerger {
  private readonly parent: Uint32Array;

  /** `docCount`: documents are the ordinals `0 .. docCount − 1`. */
  constructor(docCount: number) {
    if (!Number.isInteger(docCount) || docCount < 0 || docCount > 0xffffffff) {
      throw new Error(`docCount must be an integer in [0, 2^32), got ${docCount}`);
    }
    this.parent = new Uint32Array(docCount);
    for (let i = 0; i < docCount; i++) this.parent[i] = i;
  }

  add(edges: EdgeChunk): void {
    const n = this.parent.length;
    for (let e = 0; e < edges.length; e++) {
      const a = edges.src[e]!;
      const b = edges.dst[e]!;
      if (!(a >= 0 && a < n && b >= 0 && b < n && Number.isInteger(a) && Number.isInteger(b))) {
        throw new Error(`edge (${a}, ${b}) names a document outside [0, ${n})`);
      }
      union(this.parent, a, b);
    }
  }

  /** Flattens the forest; the merger must not be used afterwards. */
  finish(): Assignments {
    for (let i = 0; i < this.parent.length; i++) this.parent[i] = find(this.parent, i);
    return new Assignments(this.parent);
  }
}

/** Runs step (b) over a stream of edge chunks (e.g. read back from spill files). */
export async function components(
  chunks: Iterable<EdgeChunk> | AsyncIterable<EdgeChunk>,
  docCount: number,
): Promise<Assignments> {
  const merger = new ComponentMerger(docCount);
  for await (const c of chunks) merger.add(c);
  return merger.finish();
}
