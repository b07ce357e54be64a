import { ran } from './ran.ts';
import { wait } from './waits.ts';
export const value = ran && wait;
export default () => 'tla';
