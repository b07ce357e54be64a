/**
 * The chaos runner (`npm run chaos -- [flags]`): drives the built CLI (`node bin/sluice.js run`)
 * through SIGKILLs at counted commit points spread over every phase, worker threads dying, SIGTERM
 * and SIGINT, injected ENOSPC/EIO at the four commit places and a real full tmpfs, resuming each
 * time and checking the output byte-identical to an uninterrupted run plus the stats invariant.
 * Prints one JSON line per event, then a summary line; exits 1 when anything differs.
 *
 * Flags (defaults in brackets): `--seed N` [random, printed], `--kills N` per case [20],
 * `--thread-deaths N` [3], `--signals N` [2], `--copies N` copies of ../shared's crawls and
 * corpora as input [4], `--batch-size N` [64], `--task-bytes N` [1000000], `--work DIR`
 * [$TMPDIR/sluice-chaos], `--no-faults`, `--no-tmpfs`, `--fixtures` (the CI inputs instead of the
 * corpus), `--case NAME` (only `refinedweb` or `minhash-jsonl`).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runChaos } from './chaos/campaign.ts';
import { buildCorpus, chaosCases, FIXTURE_INPUTS } from './chaos/cases.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    kills: { type: 'string', default: '20' },
    'thread-deaths': { type: 'string', default: '3' },
    signals: { type: 'string', default: '2' },
    copies: { type: 'string', default: '4' },
    'batch-size': { type: 'string', default: '64' },
    'task-bytes': { type: 'string', default: '1000000' },
    work: { type: 'string', default: join(tmpdir(), 'sluice-chaos') },
    'no-faults': { type: 'boolean', default: false },
    'no-tmpfs': { type: 'boolean', default: false },
    fixtures: { type: 'boolean', default: false },
    case: { type: 'string' },
  },
});

const int = (name: string, v: string | undefined): number => {
  if (!v || !/^\d+$/.test(v)) throw new Error(`--${name} must be a non-negative integer, got ${v}`);
  return Number(v);
};

const line = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);
const t0 = performance.now();
const seed = values.seed !== undefined ? int('seed', values.seed) : Math.floor(Math.random() * 2 ** 31);
line({ event: 'start', seed, replay: `npm run chaos -- --seed ${seed} ${process.argv.slice(2).filter((a, i, all) => a !== '--seed' && all[i - 1] !== '--seed').join(' ')}`.trim() });

const inputs = values.fixtures ? { ...FIXTURE_INPUTS, bytes: 0 } : await buildCorpus(join(values.work, 'corpus'), int('copies', values.copies));
if (!values.fixtures) line({ event: 'corpus', warc: inputs.warc, jsonl: inputs.jsonl, bytes: inputs.bytes });
const cases = chaosCases(inputs.warc, inputs.jsonl, { batchSize: int('batch-size', values['batch-size']), taskBytes: int('task-bytes', values['task-bytes']) })
  .filter((c) => values.case === undefined || c.name === values.case);
if (!cases.length) throw new Error(`--case ${values.case}: no such case (refinedweb, minhash-jsonl)`);

const summaries = await runChaos(cases, {
  seed,
  kills: int('kills', values.kills),
  threadDeaths: int('thread-deaths', values['thread-deaths']),
  signals: int('signals', values.signals),
  diskFaults: !values['no-faults'],
  tmpfs: !values['no-tmpfs'],
  work: values.work,
}, line);

const problems = summaries.flatMap((s) => s.problems);
const killsByPhase: Record<string, number> = {};
for (const s of summaries) for (const [p, n] of Object.entries(s.killsByPhase)) killsByPhase[p] = (killsByPhase[p] ?? 0) + n;
line({
  event: 'summary', seed, passed: problems.length === 0, kills: summaries.reduce((n, s) => n + s.kills, 0), killsByPhase,
  resumes: summaries.reduce((n, s) => n + s.resumes, 0),
  threadDeaths: summaries.reduce((n, s) => n + s.threadDeaths, 0), signals: summaries.reduce((n, s) => n + s.signals, 0),
  diskFaults: summaries.reduce((n, s) => n + s.diskFaults, 0), tmpfs: Object.fromEntries(summaries.map((s) => [s.case, s.tmpfs])),
  wallMs: Math.round(performance.now() - t0), problems,
});
if (problems.length) process.exitCode = 1;
