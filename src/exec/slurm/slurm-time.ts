/**
 * Seconds in a Slurm time limit (`sbatch --time`): `M`, `M:S`, `H:M:S`, `D-H`, `D-H:M`, `D-H:M:S`;
 * `UNLIMITED`/`INFINITE` is `Infinity`. Throws on anything else.
 */
export function slurmTimeSeconds(time: string): number {
  if (time === 'UNLIMITED' || time === 'INFINITE') return Infinity;
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(time);
  if (!m) throw new Error(`not a Slurm time: ${JSON.stringify(time)}`);
  const [, d, a, b, c] = m;
  const n = (s: string | undefined) => (s === undefined ? 0 : Number(s));
  if (d !== undefined) return n(d) * 86400 + n(a) * 3600 + n(b) * 60 + n(c); // D-H[:M[:S]]
  if (c !== undefined) return n(a) * 3600 + n(b) * 60 + n(c); // H:M:S
  return n(a) * 60 + n(b); // M or M:S
}
