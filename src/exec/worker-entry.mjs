// piscina workers do not inherit the parent's tsx loader: register it, then load the TS worker.
// The heavy plain-JS dependencies are imported first, without the loader: its hooks run on
// another thread and each of the hundreds of modules in their import graphs would pay a round
// trip (measured: worker start ~1.2 s → ~0.7 s). TS modules importing them later hit the cache.
// The list is the engine's and the built-in operators' (src/ops/index.ts) packages.
import { register } from 'tsx/esm/api';

await Promise.all(['apache-arrow', 'parquet-wasm/node', 'zod', 'htmlparser2', 'tiktoken/lite', 'tldts'].map((m) => import(m)));
register();
const worker = await import('./worker.ts');

export default worker.default;
