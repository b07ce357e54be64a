// Child process for require-typescript.test.ts: loads a fixture through compiled sluice's module
// loader (vitest's own module runner would be a third module system) and prints what it saw.
import { pathToFileURL } from 'node:url';

const [dist, fixture] = process.argv.slice(2);
const sluice = await import(pathToFileURL(`${dist}/index.js`).href);
const zod = await import('zod');
const arrow = await import('apache-arrow');
const { requireTypeScript } = await import(pathToFileURL(`${dist}/exec/pool/require-typescript.js`).href);
const { importModule } = await import(pathToFileURL(`${dist}/exec/pool/module-loader.js`).href);
const required = requireTypeScript(fixture);
const runsAfterRequire = [...(globalThis.sluiceFixtureRuns ?? [])];
const imported = await importModule(fixture);
console.log(JSON.stringify({
  required: required !== undefined,
  runsAfterRequire,
  runs: globalThis.sluiceFixtureRuns ?? [],
  sameAsImported: required === undefined || required === imported,
  called: typeof imported.default === 'function' ? imported.default() : undefined,
  shared: imported.shared && {
    sluice: imported.shared.defineOperator === sluice.defineOperator,
    zod: imported.shared.z === zod.z,
    arrow: imported.shared.tableFromArrays === arrow.tableFromArrays,
  },
  meta: imported.meta,
}));
