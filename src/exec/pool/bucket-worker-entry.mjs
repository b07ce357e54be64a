// The pool's own entry registers the tsx loader (once per thread); then load the TS task.
import './worker-entry.mjs';

const worker = await import('./bucket-worker.ts');

export default worker.default;
