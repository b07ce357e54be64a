// Second half of `npm run build` (tsc type-checks and writes the declarations): bundles sluice's
// own modules into dist/ with esbuild. A process then loads ~40 files of sluice instead of ~250,
// and loading them is most of a process's start-up (docs/benchmarks.md, startup).
//
// Packages stay external, so a pipeline script, the CLI and the worker threads share one zod, one
// Arrow and one instance of every sluice module: the entries split their common code into shared
// chunks instead of each holding a copy (a second operator registry would lose custom operators).
// Paths to files of the package (bin/, the word lists, the worker entries) are found from the
// package root, never relative to a module, since a module's code may land in any chunk.
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

/** What is loaded by path: the API, the CLI (bin/sluice.js), the pool threads' entries, and the
 *  TypeScript loader a child process of the tests drives directly. */
const ENTRIES = ['index', 'cli/main', 'exec/pool/worker', 'exec/pool/bucket-worker', 'exec/pool/module-loader', 'exec/pool/require-typescript'];

// JavaScript left by an earlier build (unbundled, or another chunk hash) would ship in the package.
for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
  if (entry.isFile() && entry.name.endsWith('.js')) rmSync(join(entry.parentPath, entry.name));
}

await build({
  entryPoints: ENTRIES.map((e) => ({ in: join(root, 'src', `${e}.ts`), out: e })),
  outdir: dist,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
