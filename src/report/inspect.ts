import { readParquet } from '../dataframe/read.ts';
import type { DropLog, DropSample } from '../exec/accounting/drop-log.ts';
import { SAMPLES_PER_REASON } from '../exec/accounting/drop-log.ts';
import { files } from '../exec/state/layout.ts';
import type { RunStats } from '../exec/accounting/counters.ts';
import { outputDirs } from './data.ts';
import { outputFiles, readOutputJson } from './output-files.ts';

export interface InspectOptions {
  /** Step name (as in stats.json, `#2` suffix optional) whose drops to show, or `any`. */
  droppedBy?: string;
  /** Substring of the drop reason; implies `droppedBy: 'any'` when that is not given. */
  reason?: string;
  sample: number;
  /** Characters of text printed per document. */
  chars: number;
  /** Seeded random sample (of the first 10,000 kept documents, or of every recorded drop). */
  seed?: number;
}

/** What `sluice inspect` prints: sample kept documents, or sample dropped ones with step and reason. */
export async function inspectRun(outDir: string, o: InspectOptions): Promise<string> {
  const stats = await readOutputJson<RunStats>(files.stats(outDir), `${outDir} has no stats.json: is it the output directory of a finished \`sluice run\`?`);
  return o.droppedBy !== undefined || o.reason !== undefined ? inspectDropped(outDir, stats, o) : inspectKept(outDir, stats, o);
}

async function inspectKept(outDir: string, stats: RunStats, o: InspectOptions): Promise<string> {
  const { docDirs } = await outputDirs(outDir);
  const paths: string[] = [];
  for (const d of docDirs) paths.push(...await outputFiles(d, '.parquet'));
  if (!paths.length) throw new Error(`${outDir} has no Parquet documents output to show kept documents from`);
  const table = await readParquet(paths).limit(o.seed === undefined ? o.sample : 10_000).collect();
  const rows = table.toArray().map((r) => (r as { toJSON(): Record<string, unknown> }).toJSON());
  const picked = pick(rows, o);
  const head = `kept documents: ${stats.totals.documentsOut} of ${stats.totals.documentsIn}; showing ${picked.length}\n`;
  return head + picked.map((r, i) => {
    const { text, ...meta } = r;
    const fields = Object.entries(meta).map(([k, v]) => `${k}: ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : String(v)}`);
    return `\n── kept #${i + 1}\n${fields.join('\n')}\n${excerpt(String(text ?? ''), o.chars)}\n`;
  }).join('');
}

async function inspectDropped(outDir: string, stats: RunStats, o: InspectOptions): Promise<string> {
  const step = o.droppedBy ?? 'any';
  const steps = stats.steps.filter((s) => step === 'any' || s.name === step || s.name.replace(/#\d+$/, '') === step);
  if (!steps.length) {
    const withDrops = [...new Set(stats.steps.filter((s) => Object.keys(s.dropped).length).map((s) => s.name))];
    throw new Error(`no step "${step}" in this run; steps that dropped documents: ${withDrops.join(', ') || 'none'}`);
  }
  const counts = new Map<string, number>();
  for (const s of steps) for (const [r, n] of Object.entries(s.dropped)) if (!o.reason || r.includes(o.reason)) counts.set(r, (counts.get(r) ?? 0) + n);
  const samples: DropSample[] = [];
  for (const uri of await outputFiles(files.dropped(outDir), '.json')) {
    const log = await readOutputJson<DropLog>(uri, `${uri} vanished while reading`);
    for (const s of log.samples) {
      if (!steps.some((st) => st.stage === s.stage && st.step === s.step)) continue;
      if (o.reason && !s.reason.includes(o.reason)) continue;
      samples.push(s);
    }
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const picked = pick(samples, o);
  const lines = [`dropped by ${step}${o.reason ? ` (reason contains "${o.reason}")` : ''}: ${total} documents`];
  for (const [r, n] of [...counts].sort((a, b) => b[1] - a[1])) lines.push(`  ${r}: ${n}`);
  lines.push(`showing ${picked.length} of ${samples.length} recorded examples (the drop log keeps the first ${SAMPLES_PER_REASON} per step and reason per task; ` +
    'reader skips such as non-HTML records carry no document)');
  return lines.join('\n') + '\n' + picked.map((s, i) => {
    const meta = [`step: ${s.stage} ${s.stepName}`, `reason: ${s.reason}`, ...(s.url ? [`url: ${s.url}`] : []), ...(s.id ? [`id: ${s.id}`] : []),
      ...(s.language ? [`language: ${s.language}`] : []), `source: file #${s.fileIndex} @ ${s.pos}`, ...(s.chars !== undefined ? [`chars: ${s.chars}`] : [])];
    return `\n── dropped #${i + 1}\n${meta.join('\n')}\n${excerpt(s.text ?? '', o.chars)}\n`;
  }).join('');
}

function excerpt(text: string, chars: number): string {
  const t = text.length > chars ? `${text.slice(0, chars)}…` : text;
  return t.split('\n').map((l) => `│ ${l}`).join('\n');
}

/** The first `sample` items, or a seeded random sample of them (mulberry32, so runs repeat). */
function pick<T>(items: T[], o: InspectOptions): T[] {
  if (o.seed === undefined) return items.slice(0, o.sample);
  let a = o.seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, o.sample);
}
