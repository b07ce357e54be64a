import { basename } from 'node:path';
import type { ReportData } from './data.ts';
import { funnelRows, type FunnelRow } from './funnel.ts';
import { fmt } from './svg.ts';
import { cpuBreakdown, cpuLine } from './cpu.ts';

/** Columns the summary fits in: a 100-column terminal must not wrap it. */
export const SUMMARY_WIDTH = 100;
/** Step labels longer than this are cut (the HTML report has them in full). */
const STEP_WIDTH = 26;

/**
 * The terminal summary printed at the end of `sluice run` (and by `sluice report`): a plain-text
 * funnel table and the run totals, every line at most {@link SUMMARY_WIDTH} characters. Throughput
 * per core and the full reason list live in the HTML report; here the top reason takes the room
 * the counts leave and is cut to fit.
 */
export function renderSummary(d: ReportData): string {
  const header = ['step', 'in', 'out', 'kept', 'dropped', 'quar.', 'CPU s', 'top drop reason'];
  const table = [header, ...funnelRows(d.stats).map(row)];
  const widths = header.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  const fixed = widths.slice(0, -1).reduce((a, b) => a + b + 2, 0);
  widths[widths.length - 1] = Math.max(header[header.length - 1]!.length, Math.min(widths[widths.length - 1]!, SUMMARY_WIDTH - fixed));
  const line = (r: string[]) => r.map((cell, c) => {
    const w = widths[c]!;
    const text = cut(cell, w);
    return c === 0 || c === r.length - 1 ? text.padEnd(w) : text.padStart(w);
  }).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...table.slice(1).map(line)];
  const t = d.stats.totals;
  const cpu = cpuBreakdown(d.stats);
  const dropped = Object.values(t.dropped).reduce((a, b) => a + b, 0);
  out.push('', `documents: ${t.documentsIn} in, ${t.documentsOut} kept, ${dropped} dropped, ${t.quarantined} quarantined`,
    `time: wall ${(t.wallMs / 1000).toFixed(1)} s, ${cpuLine(cpu)}`);
  if (cpu.overheads.length) out.push(`outside steps: ${cpu.overheads.map(([n, ms]) => `${n} ${(ms / 1000).toFixed(1)} s`).join(', ')}`);
  for (const { dir, manifest: m } of d.tokens) {
    // The directory relative to the output keeps the line short whatever the output path.
    const where = dir.startsWith(d.outDir) ? dir.slice(d.outDir.length).replace(/^\//, '') || '.' : basename(dir);
    out.push(`tokens: ${m.totalTokens} in ${m.totalDocuments} documents, ${m.shards.length} shard(s) of ${m.dtype} (${m.tokenizer.name}) in ${where}/`);
  }
  return out.map((l) => cut(l, SUMMARY_WIDTH)).join('\n') + '\n';
}

function row(r: FunnelRow): string[] {
  const top = r.reasons[0];
  // Reasons are `<operator>:<reason>`; the operator is the row's step already.
  const prefix = `${r.step.replace(/#\d+$/, '')}:`;
  const reason = top ? `${top[0].startsWith(prefix) ? top[0].slice(prefix.length) : top[0]} (${fmt(top[1])})${r.reasons.length > 1 ? ` +${r.reasons.length - 1}` : ''}` : '';
  return [
    cut(`${r.stage} ${r.step}`, STEP_WIDTH), fmt(r.documentsIn), fmt(r.documentsOut),
    r.documentsIn ? `${((100 * r.documentsOut) / r.documentsIn).toFixed(1)}%` : '–',
    fmt(r.dropped), fmt(r.quarantined), (r.cpuMs / 1000).toFixed(2), reason,
  ];
}

function cut(s: string, width: number): string {
  return s.length <= width ? s : `${s.slice(0, width - 1)}…`;
}
