import { closeSync, fstatSync, openSync } from 'node:fs';
import type { PartitionSpec } from '../../plan/physical-plan.ts';
import { FileWindow } from './file-window.ts';
import { nextPlainRecord } from './framing.ts';
import { nextWarcMember } from './gzip-member.ts';
import { isGzipFile } from './read-range.ts';
import { remoteSplitPoints } from './remote-window.ts';
import { isRemoteInput } from '../location/input-file.ts';

/**
 * Record-aligned split points of one file at about every `targetBytes`: gzip member starts that
 * inflate to `WARC/` for `.warc.gz`, validated `WARC/` record starts for `.warc`. Each partition
 * reads the records (members) that start inside its range, so splitting never changes what is read.
 */
export function splitPoints(path: string, targetBytes: number): { size: number; points: number[] } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const points = [0];
    if (size <= targetBytes) return { size, points };
    const win = new FileWindow(fd, size, 1 << 20);
    const gz = isGzipFile(win);
    for (let b = targetBytes; b < size; b += targetBytes) {
      if (b <= points[points.length - 1]!) continue;
      const p = gz ? nextWarcMember(win, b, size) : nextPlainRecord(win, b, size);
      if (p >= size) break;
      if (p > points[points.length - 1]!) points.push(p);
      if (p > b) b = p - (p % targetBytes);
    }
    return { size, points };
  } finally {
    closeSync(fd);
  }
}

/** Partitions of all files (local, or `s3://` objects searched with ranged GETs), numbered in file order then offset order. */
export async function warcPartitions(paths: readonly string[], targetBytes: number): Promise<PartitionSpec[]> {
  const out: PartitionSpec[] = [];
  for (const [fileIndex, file] of paths.entries()) {
    const { size, points } = isRemoteInput(file) ? await remoteSplitPoints(file, targetBytes) : splitPoints(file, targetBytes);
    points.forEach((start, i) => {
      const end = points[i + 1] ?? size;
      out.push({ index: out.length, file, fileIndex, start, end, bytes: end - start });
    });
  }
  return out;
}
