// piscina workers do not inherit the parent's tsx loader: register it, then load the TS worker
// (after the big plain-JS packages, which load faster without the loader: see preload.mjs).
import { register } from 'tsx/esm/api';
import { preloadPackages } from './preload.mjs';

await preloadPackages();
register();
const worker = await import('./worker.ts');

export default worker.default;
