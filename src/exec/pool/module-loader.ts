import { pathToFileURL } from 'node:url';
import { requireTypeScript } from './require-typescript.ts';

/**
 * Whether sluice runs from its TypeScript sources (tests, `tsx`) rather than from compiled `dist/`.
 * From sources, pool threads need tsx's loader for sluice itself; compiled, they load plain JS.
 */
export const FROM_SOURCE = import.meta.url.endsWith('.ts');

const TYPESCRIPT = /\.[cm]?tsx?$/;
let loaderRegistered = FROM_SOURCE;

/**
 * Imports a module by file path. A TypeScript module (a user's `.ts` pipeline) is compiled in this
 * thread ({@link requireTypeScript}); one that needs ES module evaluation goes through tsx's loader,
 * registered on first need only. Compiled sluice pays for neither when pipelines are JavaScript.
 */
export async function importModule(path: string): Promise<unknown> {
  if (!loaderRegistered && TYPESCRIPT.test(path)) {
    const required = requireTypeScript(path);
    if (required !== undefined) return required;
    const { register } = await import('tsx/esm/api');
    register();
    loaderRegistered = true;
  }
  return import(pathToFileURL(path).href);
}
