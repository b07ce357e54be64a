#!/usr/bin/env node
// The CLI runs sluice compiled to dist/ (`npm run build`, which `npm install` runs in a clone).
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('dist')) throw e;
  console.error('sluice: dist/ is missing; run `npm run build` (or `npm install`) in the sluice checkout first');
  process.exit(2);
}
await cli.main(process.argv);
