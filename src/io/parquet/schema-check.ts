import { Type } from 'apache-arrow';
import type { DataType, Schema } from 'apache-arrow';
import type { FieldSpec } from '../../plan/logical-plan.ts';
import { typeName } from '../../arrow/schema.ts';

/** The type a column's values have once read: the reader flattens dictionaries to their values. */
function valueTypeName(type: DataType): string {
  return typeName(type.typeId === Type.Dictionary ? (type as DataType & { dictionary: DataType }).dictionary : type);
}

/**
 * Why a file's columns cannot feed the plan, or undefined: a requested column whose type differs
 * from the one the plan was made with (the source schema, read from the first file). Operators
 * check the type of the column they read, so without this a file with an `Int64` `text` among
 * `Utf8` ones would fail every batch of its split; the reader quarantines the split instead.
 */
export function columnTypeMismatch(fileSchema: Schema, planned: readonly FieldSpec[] | undefined, columns: readonly string[]): string | undefined {
  if (!planned) return undefined;
  for (const name of columns) {
    const want = planned.find((f) => f.name === name);
    const field = fileSchema.fields.find((f) => f.name === name);
    if (!want || !field) continue;
    const got = valueTypeName(field.type);
    const expected = /^Dictionary<[^,]+, (.+)>$/.exec(want.type)?.[1] ?? want.type;
    if (got !== expected) return `column "${name}" is ${got} in this file but ${want.type} in the source schema (from the first readable file)`;
  }
  return undefined;
}
