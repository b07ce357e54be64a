#!/usr/bin/env node
// The CLI is TypeScript and loads `.ts` pipeline files directly, so register tsx's loader first.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
