// piscina workers do not inherit the parent's tsx loader: register it, then load the TS worker.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./worker.ts');

export default worker.default;
