import { pathToFileURL } from 'node:url';

/**
 * Whether sluice runs from its TypeScript sources (tests, `tsx`) rather than from compiled `dist/`.
 * From sources, pool threads need tsx's loader for sluice itself; compiled, they load plain JS.
 */
export const FROM_SOURCE = import.meta.url.endsWith('.ts');

const TYPESCRIPT = /\.[cm]?tsx?$/;
let loaderRegistered = FROM_SOURCE;

/**
 * Imports a module by file path. A TypeScript module (a user's `.ts` pipeline) goes through tsx's
 * loader, registered on first need only: compiled sluice pays nothing for it when pipelines are
 * JavaScript, and only the user's own files are compiled when they are not.
 */
export async function importModule(path: string): Promise<unknown> {
  if (!loaderRegistered && TYPESCRIPT.test(path)) {
    const { register } = await import('tsx/esm/api');
    register();
    loaderRegistered = true;
  }
  return import(pathToFileURL(path).href);
}
