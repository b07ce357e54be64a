/**
 * How explain and stats name an `apply` step: its operator's name, except that a tag step
 * (`DataFrame.tag`, operator `tag`) is named after what it tags, e.g. `gopher_quality (tag)`, so
 * several tag steps can be told apart.
 */
export function applyLabel(op: string, options: Record<string, unknown>): string {
  return op === 'tag' ? `${String(options.prefix ?? options.op)} (tag)` : op;
}
