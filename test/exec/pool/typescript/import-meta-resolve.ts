import { ran } from './ran.ts';
export const zod = import.meta.resolve('zod');
export default () => ran && zod.endsWith('/zod/index.js');
