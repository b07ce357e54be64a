// A pipeline-shaped module: packages sluice also imports, a local TypeScript import, import.meta.
import { tableFromArrays } from 'apache-arrow';
import { defineOperator } from 'sluice';
import { z } from 'zod';
import { helperUrl, type Marked } from './helper.ts';

const marked: Marked = { ok: true };
export const shared = { defineOperator, z, tableFromArrays };
export const meta = { url: import.meta.url, dirname: import.meta.dirname, filename: import.meta.filename, helperUrl: helperUrl(), marked };
export default function pipeline(): string {
  return 'called';
}
