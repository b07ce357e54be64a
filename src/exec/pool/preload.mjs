/**
 * Imports the big plain-JS packages before tsx's loader is registered. The loader's hooks run on
 * another thread and every module of an import graph pays a round trip through them; imported
 * first, the hundreds of modules of arrow, zod, ... load at native speed and TS modules importing
 * them later hit the module cache (measured: worker start ~1.2 s → ~0.6 s, `sluice --help` ~1.0 s
 * → ~0.6 s). The list is the engine's and the built-in operators' (src/ops/index.ts) packages that
 * they `import`; a package missing from it only loads slower. parquet-wasm and tldts are not in it:
 * sluice `require`s them (no loader hooks), and only when used.
 */
export const PRELOAD = ['apache-arrow', 'zod', 'entities/decode', 'tiktoken/lite'];

export async function preloadPackages(extra = []) {
  await Promise.all([...PRELOAD, ...extra].map((m) => import(m)));
}
