// Plain JavaScript importing TypeScript: only a loader that compiles TypeScript can load it.
export { ran as viaJs } from './ran.ts';
