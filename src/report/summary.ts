import type { ReportData } from './data.ts';
import { funnelRows } from './funnel.ts';
import { fmt } from './svg.ts';

/** The terminal summary printed at the end of `sluice run` (and by `sluice report`): a plain-text funnel table. */
export function renderSummary(d: ReportData): string {
  const rows = funnelRows(d.stats);
  const table: string[][] = [['step', 'in', 'out', 'kept', 'dropped', 'quar.', 'CPU s', 'docs/s/core', 'top drop reason']];
  for (const r of rows) {
    const top = r.reasons[0];
    table.push([
      `${r.stage} ${r.step}`, fmt(r.documentsIn), fmt(r.documentsOut),
      r.documentsIn ? `${((100 * r.documentsOut) / r.documentsIn).toFixed(1)}%` : '–',
      fmt(r.dropped), fmt(r.quarantined), (r.cpuMs / 1000).toFixed(2), fmt(r.docsPerCpuSec),
      top ? `${top[0]} (${top[1]})${r.reasons.length > 1 ? ` +${r.reasons.length - 1} more` : ''}` : '',
    ]);
  }
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 || c === row.length - 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  const out = [line(table[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...table.slice(1).map(line)];
  const t = d.stats.totals;
  const dropped = Object.values(t.dropped).reduce((a, b) => a + b, 0);
  out.push('', `documents: ${t.documentsIn} in, ${t.documentsOut} kept, ${dropped} dropped, ${t.quarantined} quarantined; ` +
    `wall ${(t.wallMs / 1000).toFixed(1)} s, CPU ${(t.cpuMs / 1000).toFixed(1)} s`);
  for (const { dir, manifest: m } of d.tokens) {
    out.push(`tokens: ${m.totalTokens} in ${m.totalDocuments} documents, ${m.shards.length} shard(s) of ${m.dtype} (${m.tokenizer.name}) in ${dir}`);
  }
  return out.join('\n') + '\n';
}
