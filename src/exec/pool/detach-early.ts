/**
 * Detaches one throw-away ArrayBuffer, so that V8 gives up its "no ArrayBuffer was ever detached"
 * assumption now, in a fresh worker thread, rather than in the middle of its first task.
 *
 * Why: until the first detach, V8's optimized code may skip detach checks on typed arrays; the
 * first detach (a WebAssembly memory growing in fastText or tiktoken, a result transferred to the
 * driver) throws all of that code away at once. In a run of the RefinedWeb recipe that happened
 * mid-task and cost ~100 recompilations of already hot functions (`--trace-protector-invalidation`,
 * `--trace-deopt`: 141 dependent-code deopts; TurboFan time 5.1 → 4.2 s per worker). A detach is
 * certain in every run, so making it first costs nothing.
 */
export function detachOneArrayBuffer(): void {
  const buffer = new ArrayBuffer(1);
  structuredClone(buffer, { transfer: [buffer] });
}
