import { ran } from './ran.ts';
export const later = () => import('./helper.ts');
export default () => ran;
