import { describe, expect, it } from 'vitest';
import { Field, Float64, Int32, makeVector, Schema, tableFromIPC, tableToIPC, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { rowsToBatch, inferFields } from '../../src/arrow/from-rows.ts';
import { concatBatches, dropColumns, filterBatch, selectColumns, setColumn, takeBatch } from '../../src/arrow/batch.ts';
import { conformBatch, unifySchemas } from '../../src/arrow/schema.ts';
import { decodeUtf8, utf8Parts, utf8Vector } from '../../src/arrow/utf8.ts';

const rows = [
  { id: 1, s: 'a', f: true }, { id: 2, s: null, f: false }, { id: null, s: 'ccc', f: null }, { id: 4, s: 'dé', f: true },
];
const batch = rowsToBatch(rows, inferFields(rows));
const objects = (b: { numRows: number; get(i: number): unknown }) =>
  Array.from({ length: b.numRows }, (_, i) => ({ ...(b.get(i) as { toJSON(): object }).toJSON() }));

describe('utf8', () => {
  it('builds a plain Utf8 vector (not a dictionary) that round-trips through IPC', () => {
    const v = utf8Vector(['x', null, '', 'héllo 😀', 'y'.repeat(5000)]);
    expect(v.type).toBeInstanceOf(Utf8);
    expect(v.nullCount).toBe(1);
    const t = tableFromIPC(tableToIPC(new Table({ v })));
    expect(t.getChild('v')!.toArray()).toEqual(['x', null, '', 'héllo 😀', 'y'.repeat(5000)]);
    expect(decodeUtf8(utf8Parts(v.data[0]!))).toEqual(['x', null, '', 'héllo 😀', 'y'.repeat(5000)]);
  });
});

describe('batch utilities', () => {
  it('infers types from rows', () => {
    expect(inferFields(rows)).toEqual([{ name: 'id', type: 'Float64' }, { name: 's', type: 'Utf8' }, { name: 'f', type: 'Bool' }]);
  });

  it('takes rows by index, including nulls and repeats', () => {
    const t = takeBatch(batch, Int32Array.from([3, 1, 1, 2]));
    expect(objects(t)).toEqual([rows[3], rows[1], rows[1], rows[2]]);
  });

  it('filters by mask, also on a sliced batch', () => {
    expect(objects(filterBatch(batch, Uint8Array.from([1, 0, 1, 1])))).toEqual([rows[0], rows[2], rows[3]]);
    expect(objects(filterBatch(batch.slice(1, 4), Uint8Array.from([1, 0, 1])))).toEqual([rows[1], rows[3]]);
  });

  it('concatenates batches with nulls and slices', () => {
    const c = concatBatches([batch.slice(2), batch, batch.slice(0, 1)]);
    expect(c.numRows).toBe(7);
    expect(objects(c)).toEqual([rows[2], rows[3], ...rows, rows[0]]);
  });

  it('adds, replaces, drops and selects columns', () => {
    let b = setColumn(batch, 'x', makeVector(new Int32Array([9, 8, 7, 6])));
    b = setColumn(b, 's', vectorFromArray([1, 2, 3, 4], new Float64()));
    expect(b.schema.fields.map((f) => f.name)).toEqual(['id', 's', 'f', 'x']);
    expect(objects(dropColumns(b, ['id', 'f']))).toEqual([{ s: 1, x: 9 }, { s: 2, x: 8 }, { s: 3, x: 7 }, { s: 4, x: 6 }]);
    expect(selectColumns(b, ['x', 'id']).schema.fields.map((f) => f.name)).toEqual(['x', 'id']);
    expect(() => selectColumns(b, ['nope'])).toThrow(/unknown column "nope" \(available: id, s, f, x\)/);
    expect(selectColumns(b, []).numRows).toBe(4);
  });

  it('unifies schemas and conforms batches to them', () => {
    const a = new Schema([new Field('x', new Int32(), false), new Field('y', new Utf8(), false)]);
    const b = new Schema([new Field('y', new Utf8(), false), new Field('z', new Float64(), false)]);
    const u = unifySchemas([a, b]);
    expect(u.fields.map((f) => [f.name, String(f.type), f.nullable])).toEqual([
      ['x', 'Int32', true], ['y', 'Utf8', false], ['z', 'Float64', true]]);
    const conformed = conformBatch(rowsToBatch([{ y: 'q', z: 1.5 }], [{ name: 'y', type: 'Utf8' }, { name: 'z', type: 'Float64' }]), u);
    expect(objects(conformed)).toEqual([{ x: null, y: 'q', z: 1.5 }]);
    expect(() => unifySchemas([a, new Schema([new Field('x', new Utf8())])])).toThrow(/conflicting types Int32 and Utf8/);
  });
});
