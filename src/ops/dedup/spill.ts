import { open, type FileHandle } from 'node:fs/promises';
import type { EdgeChunk } from './lsh.ts';

/**
 * Edge spill files: `(src, dst)` as little-endian float64 pairs, appended chunk by chunk and read
 * back as a stream, so clustering never holds all edges. The wide stages put the same bytes in the
 * blob store (which adds checksums); this file form serves standalone runs and the scale benchmark.
 */
export class EdgeSpillWriter {
  private constructor(private readonly fh: FileHandle, public edges = 0) {}

  static async create(path: string): Promise<EdgeSpillWriter> {
    return new EdgeSpillWriter(await open(path, 'w'));
  }

  async write(chunk: EdgeChunk): Promise<void> {
    if (chunk.length === 0) return;
    const buf = new Float64Array(chunk.length * 2);
    for (let i = 0; i < chunk.length; i++) {
      buf[2 * i] = chunk.src[i]!;
      buf[2 * i + 1] = chunk.dst[i]!;
    }
    await this.fh.write(new Uint8Array(buf.buffer));
    this.edges += chunk.length;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

/** Streams a spill file back in chunks of at most `chunkEdges` edges. */
export async function* readEdgeSpill(path: string, chunkEdges = 1 << 16): AsyncGenerator<EdgeChunk> {
  const fh = await open(path, 'r');
  try {
    const buf = new Float64Array(chunkEdges * 2);
    const bytes = new Uint8Array(buf.buffer);
    let leftover = 0;
    for (;;) {
      const { bytesRead } = await fh.read(bytes, leftover, bytes.length - leftover);
      const total = leftover + bytesRead;
      const edges = Math.floor(total / 16);
      if (edges > 0) {
        const src = new Float64Array(edges);
        const dst = new Float64Array(edges);
        for (let i = 0; i < edges; i++) {
          src[i] = buf[2 * i]!;
          dst[i] = buf[2 * i + 1]!;
        }
        yield { length: edges, src, dst };
      }
      leftover = total - edges * 16;
      if (bytesRead === 0) break;
      bytes.copyWithin(0, edges * 16, total);
    }
    if (leftover !== 0) throw new Error(`edge spill ${path} is truncated (${leftover} trailing bytes)`);
  } finally {
    await fh.close();
  }
}
