import { viaJs } from './bridge.mjs';
export default () => viaJs;
