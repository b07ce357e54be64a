import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Pipeline scripts import from 'sluice' (the package's own name); in-process tests run them
  // against the sources, so one copy of the operator registry and DataFrame class is loaded.
  resolve: { alias: { sluice: fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time even on a 2-core machine: many tests spend their time waiting on child
    // processes, Slurm and the S3 server, not on this process's CPU.
    maxWorkers: 2,
  },
});
