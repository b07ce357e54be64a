export interface Marked { ok: boolean }
export function helperUrl(): string {
  return import.meta.url;
}
