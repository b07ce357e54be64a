import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Esbuild from 'esbuild';
import { resolveAsImport } from './resolve-as-import.ts';

/** The parts of Node's CommonJS loader this hooks (public in practice, absent from @types/node). */
interface CompiledModule { filename: string; _compile(code: string, filename: string): void }
type Compile = (module: CompiledModule, filename: string) => void;
type Resolve = (request: string, parent: CompiledModule | undefined, ...rest: unknown[]) => string;
interface CommonJsLoader { _extensions: Record<string, Compile>; _resolveFilename: Resolve }

const EXTENSIONS = ['.ts', '.cts', '.mts'] as const;
const TYPESCRIPT = /\.[cm]?ts$/;
const TARGET = `node${process.versions.node.split('.')[0]}`;
/** Files this loader compiled: only their imports of packages are resolved as `import` would. */
const compiled = new Set<string>();
let installed = false;
let loadedEsbuild: typeof Esbuild | undefined;

/**
 * esbuild, loaded on first use and `require`d: every thread imports this module, most never load
 * TypeScript, and importing esbuild's CommonJS entry from ESM runs Node's export lexer over 97 KB.
 */
function esbuild(): typeof Esbuild {
  loadedEsbuild ??= createRequire(import.meta.url)('esbuild') as typeof Esbuild;
  return loadedEsbuild;
}

/**
 * Loads a TypeScript pipeline script in this thread, its local `.ts` imports compiled to CommonJS
 * by esbuild and its packages (sluice itself included) loaded by Node's `require(esm)`, so the
 * script shares this thread's copy of sluice and its operator registry.
 *
 * Why not tsx's ESM loader for everything: on Node 20 it runs in a loader thread of its own that
 * every thread importing a script starts, loads and answers every later import through. Loading a
 * test pipeline and sluice took 2.3-2.7 s of CPU through it against 0.9-1.1 s for a plain-JS copy;
 * this path adds ~0.1 s. tsx's own CommonJS mode would compile sluice's `.js` files a second time.
 *
 * Returns `undefined`, having run nothing, when the script's local files need what only ES module
 * evaluation gives (top-level await, a dynamic `import()` of a local file, `import.meta` beyond
 * url/filename/dirname, a local JavaScript module importing TypeScript, JSX) or when esbuild cannot
 * bundle them; the caller then imports the script through tsx, which reports any error.
 */
export function requireTypeScript(path: string): unknown {
  if (!compilesToCommonJs(path)) return undefined;
  if (!installed) install();
  return createRequire(path)(path);
}

function install(): void {
  const loader = createRequire(import.meta.url)('node:module') as CommonJsLoader;
  for (const ext of EXTENSIONS) loader._extensions[ext] = compileTypeScript;
  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (request, parent, ...rest) {
    const asImport = parent && compiled.has(parent.filename) ? resolveAsImport(request, parent.filename) : undefined;
    return asImport ?? resolve.call(this, request, parent, ...rest);
  };
  installed = true;
}

/**
 * Checks the script's whole local module graph at once, before any of it runs: a failure found
 * while requiring a nested file would come after its siblings had already run (operators defined
 * twice once the caller falls back).
 */
function compilesToCommonJs(path: string): boolean {
  let metafile: Esbuild.Metafile, warnings: Esbuild.Message[];
  try {
    ({ metafile, warnings } = esbuild().buildSync({
      entryPoints: [path], bundle: true, write: false, metafile: true, format: 'cjs',
      platform: 'node', packages: 'external', target: TARGET, logLevel: 'silent', define: importMeta(path),
    }));
  } catch {
    return false;
  }
  // Any other use of import.meta (import.meta.resolve, the object itself) would be an empty object.
  if (warnings.some((w) => w.id === 'empty-import-meta')) return false;
  // JSX files would need a compiler for their extension too; tsx has one.
  if (Object.keys(metafile.inputs).some((file) => /\.[jt]sx$/.test(file))) return false;
  // A local JavaScript file is loaded by Node's own ES module loader, which cannot load TypeScript.
  return Object.entries(metafile.inputs).every(([file, input]) => input.imports.every((i) => i.external
    || (i.kind !== 'dynamic-import' && (TYPESCRIPT.test(file) || !TYPESCRIPT.test(i.path)))));
}

function compileTypeScript(module: CompiledModule, filename: string): void {
  const { code } = esbuild().transformSync(readFileSync(filename, 'utf8'), {
    loader: 'ts', format: 'cjs', target: TARGET, sourcefile: filename, sourcemap: 'inline', logLevel: 'silent',
    define: importMeta(filename),
  });
  compiled.add(filename);
  module._compile(code, filename);
}

/** CommonJS has no import.meta: each file gets its own url, filename and dirname as constants. */
function importMeta(filename: string): Record<string, string> {
  return {
    'import.meta.url': JSON.stringify(pathToFileURL(filename).href),
    'import.meta.filename': JSON.stringify(filename),
    'import.meta.dirname': JSON.stringify(dirname(filename)),
  };
}
