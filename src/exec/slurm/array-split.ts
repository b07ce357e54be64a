/** One job array of a wave: a contiguous run of the wave's tasks. */
export interface ArrayPart {
  /** Position in the wave's task list of the part's first task. */
  firstTask: number;
  /** Tasks in this part. */
  taskCount: number;
  /** Array elements (`--array=0-<elements-1>`): `ceil(taskCount / tasksPerElement)`. */
  elements: number;
}

/**
 * Splits `taskCount` tasks, run `tasksPerElement` at a time by each array element, into arrays of
 * at most `maxArraySize` elements (indexes `0 … maxArraySize-1`, Slurm's limit). Sizes are exact:
 * every part has at least one element and no task is in two parts, so there is never an extra,
 * empty array that waits forever (datatrove #238 computed one too many). No tasks, no parts.
 */
export function splitArrays(taskCount: number, tasksPerElement: number, maxArraySize: number): ArrayPart[] {
  for (const [name, v, min] of [['taskCount', taskCount, 0], ['tasksPerElement', tasksPerElement, 1], ['maxArraySize', maxArraySize, 1]] as const) {
    if (!Number.isInteger(v) || v < min) throw new Error(`splitArrays: ${name} must be an integer >= ${min}, got ${v}`);
  }
  const tasksPerPart = tasksPerElement * maxArraySize;
  const parts: ArrayPart[] = [];
  for (let first = 0; first < taskCount; first += tasksPerPart) {
    const count = Math.min(tasksPerPart, taskCount - first);
    parts.push({ firstTask: first, taskCount: count, elements: Math.ceil(count / tasksPerElement) });
  }
  return parts;
}

/**
 * Tasks per element that spread `taskCount` tasks over at most `slots` elements (the CPUs a wave
 * can use at once): each element's process then runs a share of the wave, as a pool thread does.
 */
export function tasksPerElementFor(taskCount: number, slots: number): number {
  if (!Number.isInteger(slots) || slots < 1) throw new Error(`tasksPerElementFor: slots must be an integer >= 1, got ${slots}`);
  return Math.max(1, Math.ceil(taskCount / slots));
}
