import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `npm run bench -- <name>`: runs the default export of `bench/<name>.ts`, or, when there is no
 * such file, of every `.ts` file in `bench/<name>/` (in name order). Files without a default
 * export (helpers) are skipped. Benchmarks print JSON lines on stdout.
 */
const here = dirname(fileURLToPath(import.meta.url));

async function runFile(path: string): Promise<boolean> {
  const mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
  if (typeof mod.default !== 'function') return false;
  await (mod.default as () => Promise<void>)();
  return true;
}

function available(): string[] {
  return readdirSync(here)
    .filter((f) => f !== 'run.ts' && (f.endsWith('.ts') || statSync(join(here, f)).isDirectory()))
    .map((f) => f.replace(/\.ts$/, ''))
    .filter((v, i, a) => a.indexOf(v) === i)
    .sort();
}

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name) {
    console.error(`usage: npm run bench -- <name>   (available: ${available().join(', ')})`);
    process.exit(2);
  }
  const file = join(here, `${name}.ts`);
  const dir = join(here, name);
  if (existsSync(file)) {
    if (!(await runFile(file))) throw new Error(`bench/${name}.ts has no default export`);
  } else if (existsSync(dir) && statSync(dir).isDirectory()) {
    let ran = 0;
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) if (await runFile(join(dir, f))) ran++;
    if (!ran) throw new Error(`bench/${name}/ has no file with a default export`);
  } else {
    console.error(`no benchmark "${name}" (available: ${available().join(', ')})`);
    process.exit(2);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack ?? e.message : e);
  process.exit(1);
});
