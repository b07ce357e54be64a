// piscina workers do not inherit the parent's tsx loader: register it, then load the TS worker.
// The heavy plain-JS dependencies are imported first, without the loader: its hooks run on
// another thread and each of the hundreds of modules in their import graphs would pay a round
// trip (measured: worker start ~1.2 s → ~0.7 s). TS modules importing them later hit the cache.
import { register } from 'tsx/esm/api';

await Promise.all([import('apache-arrow'), import('parquet-wasm/node'), import('zod')]);
register();
const worker = await import('./worker.ts');

export default worker.default;
