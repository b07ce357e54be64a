import { Field, Float64, Int32, makeData, vectorFromArray } from 'apache-arrow';
import { expect, it } from 'vitest';
import { columnsOf, makeBatch } from '../../src/arrow/batch.ts';
import { fromIpc, toIpc } from '../../src/arrow/ipc.ts';

const column = (name: string, values: number[], type: Float64 | Int32 = new Float64()) =>
  ({ field: new Field(name, type, true), data: vectorFromArray(values, type).data[0]! });

it('round-trips a batch whose columns share a buffer (select(a, a AS z))', () => {
  const a = column('a', [-5]);
  const batch = makeBatch([a, { field: new Field('z', new Float64(), true), data: a.data }, column('__file', [0], new Int32())], 1);
  expect(fromIpc(toIpc([batch]))[0]!.toArray().map((r) => r.toJSON())).toEqual([{ a: -5, z: -5, __file: 0 }]);
});

it('round-trips shared columns of a batch that was itself read from IPC (buffers are views of one body)', () => {
  const read = fromIpc(toIpc([makeBatch([column('a', [-5]), column('b', [-3])], 1)]))[0]!;
  const [a, b] = columnsOf(read);
  const batch = makeBatch([a!, b!, { field: new Field('z', a!.field.type, true), data: a!.data }], 1);
  expect(fromIpc(toIpc([batch]))[0]!.toArray().map((r) => r.toJSON())).toEqual([{ a: -5, b: -3, z: -5 }]);
});

it('round-trips columns that are two views of one memory region (broadcasts of a cached constant)', () => {
  const buf = new ArrayBuffer(16);
  new Float64Array(buf).fill(7);
  const view = (name: string) => ({ field: new Field(name, new Float64(), true), data: makeData({ type: new Float64(), length: 1, data: new Float64Array(buf, 0, 1) }) });
  const batch = makeBatch([view('a'), column('b', [-3]), view('z')], 1);
  expect(fromIpc(toIpc([batch]))[0]!.toArray().map((r) => r.toJSON())).toEqual([{ a: 7, b: -3, z: 7 }]);
});
