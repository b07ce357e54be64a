import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandArrayIndexes, parseJobRecords, parseScontrolLine } from '../../../src/exec/slurm/scontrol-records.ts';

/** The captured output's three sections (see the comment lines in the file). */
const sections = readFileSync(new URL('./scontrol-show-job.txt', import.meta.url), 'utf8')
  .split(/^# .*\n/m).slice(2);
const [early, later, after] = sections as [string, string, string];

const brief = (text: string) => parseJobRecords(text).map((e) => [e.jobId, e.arrayIndex, e.state, e.reason, e.exitCode, e.signal, e.restarts]);

describe('parseJobRecords on real scontrol -o show job output', () => {
  it('expands a pending array record (ArrayTaskId=2-5%2) into one state per element', () => {
    expect(brief(early)).toEqual([
      ['1', 2, 'PENDING', 'JobArrayTaskLimit', 0, 0, 0],
      ['1', 3, 'PENDING', 'JobArrayTaskLimit', 0, 0, 0],
      ['1', 4, 'PENDING', 'JobArrayTaskLimit', 0, 0, 0],
      ['1', 5, 'PENDING', 'JobArrayTaskLimit', 0, 0, 0],
      ['1', 1, 'FAILED', 'NonZeroExitCode', 3, 0, 0],
      ['1', 0, 'RUNNING', 'None', 0, 0, 0],
      ['2', null, 'PENDING', 'Dependency', 0, 0, 0],
    ]);
    expect(parseJobRecords(early).at(-1)!.dependency).toBe('afterok:1_*(unfulfilled)');
  });

  it('reads the array job record that carries the last element (JobId=1 ArrayTaskId=5)', () => {
    const states = parseJobRecords(later).filter((e) => e.jobId === '1');
    expect(states.map((e) => e.arrayIndex).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(states.find((e) => e.arrayIndex === 5)!.state).toBe('RUNNING');
    expect(states.filter((e) => e.state === 'COMPLETED').map((e) => e.arrayIndex).sort()).toEqual([0, 2, 3, 4]);
  });

  it('shows a dependent cancelled by --kill-on-invalid-dep, a requeued element and a scancelled job', () => {
    expect(brief(after)).toEqual([
      ['2', null, 'CANCELLED', 'DependencyNeverSatisfied', 0, 0, 0],
      ['1', 1, 'PENDING', 'BeginTime', 3, 0, 1], // a requeued element keeps its last exit code while it pends
      ['8', null, 'CANCELLED', 'None', 0, 15, 0],
    ]);
    expect(parseJobRecords(after)[0]!.dependency).toBe('afterok:1_*(failed)');
    expect(parseJobRecords(after)[1]!.dependency).toBe('');
  });
});

describe('parseScontrolLine', () => {
  it('keeps "=" inside values and keys with ":" or "/"', () => {
    const f = parseScontrolLine('JobId=7 TRES=cpu=1,mem=512M,node=1 AllocNode:Sid=localhost:27850 Socks/Node=* Power= Comment=two words');
    expect(f.get('TRES')).toBe('cpu=1,mem=512M,node=1');
    expect(f.get('AllocNode:Sid')).toBe('localhost:27850');
    expect(f.get('Socks/Node')).toBe('*');
    expect(f.get('Power')).toBe('');
    expect(f.get('Comment')).toBe('two words');
  });
});

describe('expandArrayIndexes', () => {
  it('reads single indexes, ranges, throttles, lists and steps', () => {
    expect(expandArrayIndexes('3')).toEqual([3]);
    expect(expandArrayIndexes('0-3%2')).toEqual([0, 1, 2, 3]);
    expect(expandArrayIndexes('1,4-6')).toEqual([1, 4, 5, 6]);
    expect(expandArrayIndexes('0-6:3')).toEqual([0, 3, 6]);
    expect(() => expandArrayIndexes('x')).toThrow(/ArrayTaskId/);
  });
});
