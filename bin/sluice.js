#!/usr/bin/env node
// The CLI is TypeScript and loads `.ts` pipeline files directly, so register tsx's loader first
// (after the big plain-JS packages, which load faster without it: see src/exec/preload.mjs).
import { register } from 'tsx/esm/api';
import { preloadPackages } from '../src/exec/pool/preload.mjs';

await preloadPackages(['commander', 'piscina', 'cli-progress', 'fast-glob']);
register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
