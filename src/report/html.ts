import type { ReportData } from './data.ts';
import { cpuBreakdown, cpuLine } from './cpu.ts';
import { funnelRows, stageRows, type FunnelRow } from './funnel.ts';
import { barChart, esc, fmt, fmtBytes, histogram, KEPT, log2Bins, PALETTE, type Bar } from './svg.ts';

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:24px auto;max-width:960px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.muted{color:#666}.kpis{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}
.kpi{border:1px solid #ddd;border-radius:6px;padding:8px 12px;min-width:120px}.kpi b{display:block;font-size:19px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:4px 8px;border-bottom:1px solid #eee;text-align:right;vertical-align:top}
th:first-child,td:first-child,td.l,th.l{text-align:left}th{background:#f6f6f6}
svg.chart{max-width:100%;height:auto;font:12px system-ui,sans-serif}svg .note{fill:#444}svg .axis{fill:#555;font-size:11px}
.legend span{display:inline-block;margin:0 14px 4px 0;font-size:12px}.legend i{display:inline-block;width:11px;height:11px;margin-right:4px;vertical-align:-1px}
code{background:#f3f3f3;padding:1px 4px;border-radius:3px}`;

/** The run report as one self-contained HTML page (inline CSS and SVG; nothing loaded from the network). */
export function renderReport(d: ReportData): string {
  const rows = funnelRows(d.stats);
  const t = d.stats.totals;
  const dropped = Object.values(t.dropped).reduce((a, b) => a + b, 0);
  const tokens = d.tokens.reduce((n, x) => n + x.manifest.totalTokens, 0);
  const kpis: [string, string][] = [
    ['documents in', fmt(t.documentsIn)], ['kept', `${fmt(t.documentsOut)} (${pct(t.documentsOut, t.documentsIn)})`],
    ['dropped', fmt(dropped)], ['quarantined', fmt(t.quarantined)],
    ['wall time', `${(t.wallMs / 1000).toFixed(1)} s`], ['CPU time', `${(t.cpuMs / 1000).toFixed(1)} s`],
    ...(d.tokens.length ? [['tokens', fmt(tokens)] as [string, string]] : []),
  ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>sluice run report</title><style>${CSS}</style></head><body>
<h1>sluice run report</h1>
<div class="muted">${esc(d.outDir)} · fingerprint <code>${esc(d.stats.fingerprint)}</code></div>
<div class="kpis">${kpis.map(([k, v]) => `<div class="kpi"><span class="muted">${esc(k)}</span><b>${esc(v)}</b></div>`).join('')}</div>
${funnelSection(rows)}
${stepTable(rows)}
${reasonsSection(d)}
${stagesSection(d)}
${cpuSection(d)}
${languageSection(d)}
${lengthSection(d)}
${tokensSection(d)}
<p class="muted">Every input document is either kept, dropped with a reason or quarantined: for each step, in = out + dropped + quarantined (checked when the run ends). Dropped examples: <code>sluice inspect ${esc(d.outDir)} --dropped-by &lt;step&gt;</code>; quarantined documents: <code>quarantine/</code>.</p>
</body></html>
`;
}

function pct(a: number, b: number): string {
  return b ? `${((100 * a) / b).toFixed(1)}%` : '–';
}

/** Colors for every drop reason of the run, assigned in order of total count. */
function reasonColors(rows: FunnelRow[]): Map<string, string> {
  const totals = new Map<string, number>();
  for (const r of rows) for (const [k, n] of r.reasons) totals.set(k, (totals.get(k) ?? 0) + n);
  const sorted = [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return new Map(sorted.map(([k], i) => [k, PALETTE[i % PALETTE.length]!]));
}

function funnelSection(rows: FunnelRow[]): string {
  const colors = reasonColors(rows);
  const docBars: Bar[] = rows.map((r) => ({
    label: `${r.stage} · ${r.step}`,
    parts: [
      { value: r.documentsOut, color: KEPT, title: `kept ${r.documentsOut}` },
      ...r.reasons.map(([k, n]) => ({ value: n, color: colors.get(k)!, title: `${k}: ${n}` })),
      ...(r.quarantined ? [{ value: r.quarantined, color: '#000', title: `quarantined ${r.quarantined}` }] : []),
    ],
    note: `${fmt(r.documentsOut)} / ${fmt(r.documentsIn)} kept (${pct(r.documentsOut, r.documentsIn)})`,
  }));
  const byteBars: Bar[] = rows.map((r) => ({
    label: `${r.stage} · ${r.step}`,
    parts: [
      { value: r.bytesOut, color: KEPT, title: `out ${fmtBytes(r.bytesOut)}` },
      { value: Math.max(0, r.bytesIn - r.bytesOut), color: '#bbb', title: `removed ${fmtBytes(Math.max(0, r.bytesIn - r.bytesOut))}` },
    ],
    note: `${fmtBytes(r.bytesOut)} of ${fmtBytes(r.bytesIn)}`,
  }));
  const legend = [[KEPT, 'kept'], ...[...colors].map(([k, c]) => [c, k]), ['#000', 'quarantined']]
    .map(([c, k]) => `<span><i style="background:${c}"></i>${esc(k!)}</span>`).join('');
  return `<h2>Funnel: documents per step</h2><div class="legend">${legend}</div>${barChart(docBars)}
<h2>Funnel: bytes per step</h2><p class="muted">In-memory Arrow bytes of the rows entering and leaving each step (columns added by a step, such as tokens, count too).</p>${barChart(byteBars)}`;
}

function stepTable(rows: FunnelRow[]): string {
  const body = rows.map((r) => `<tr><td>${esc(r.stage)} · ${esc(r.step)}</td><td>${fmt(r.documentsIn)}</td><td>${fmt(r.documentsOut)}</td>` +
    `<td>${fmt(r.dropped)}</td><td>${fmt(r.quarantined)}</td><td>${(r.cpuMs / 1000).toFixed(2)}</td><td>${fmt(r.docsPerCpuSec)}</td>` +
    `<td class="l">${r.reasons.map(([k, n]) => `${esc(k)} ${n}`).join('<br>')}</td></tr>`).join('');
  return `<h2>Steps: time and throughput</h2><p class="muted">CPU time summed over tasks; throughput is input documents per CPU-second, i.e. per core.</p>
<table><tr><th class="l">step</th><th>in</th><th>out</th><th>dropped</th><th>quar.</th><th>CPU s</th><th>docs/s/core</th><th class="l">drop reasons</th></tr>${body}</table>`;
}

function reasonsSection(d: ReportData): string {
  const all = Object.entries(d.stats.totals.dropped).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (!all.length && !d.quarantined) return '';
  const bars: Bar[] = all.map(([k, n], i) => ({ label: k, parts: [{ value: n, color: PALETTE[i % PALETTE.length]!, title: `${k}: ${n}` }], note: `${n} (${pct(n, d.stats.totals.documentsIn)} of input)` }));
  if (d.quarantined) bars.push({ label: 'quarantined', parts: [{ value: d.quarantined, color: '#000', title: 'quarantined' }], note: String(d.quarantined) });
  return `<h2>Drop reasons (whole run)</h2>${barChart(bars, { labelWidth: 320 })}`;
}

function stagesSection(d: ReportData): string {
  const body = stageRows(d.stats).map((s) => `<tr><td>${esc(s.id)}</td><td>${s.tasks}</td><td>${fmt(s.documentsIn)}</td><td>${fmt(s.documentsOut)}</td>` +
    `<td>${(s.cpuMs / 1000).toFixed(2)}</td><td>${fmt(s.cpuMs > 0 ? (s.documentsIn / s.cpuMs) * 1000 : NaN)}</td></tr>`).join('');
  return `<h2>Stages</h2><p class="muted">Wall time of the whole run: ${(d.stats.totals.wallMs / 1000).toFixed(1)} s (${fmt((d.stats.totals.documentsIn / Math.max(1, d.stats.totals.wallMs)) * 1000)} input docs/s).</p>
<table><tr><th class="l">stage</th><th>tasks</th><th>in</th><th>out</th><th>CPU s</th><th>docs/s/core</th></tr>${body}</table>`;
}

function cpuSection(d: ReportData): string {
  const c = cpuBreakdown(d.stats);
  if (!c.overheads.length) return '';
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const body = (d.stats.overheads ?? []).map((o) => `<tr><td>${esc(o.stage)}</td><td class="l">${esc(o.name)}</td><td>${s(o.cpuMs)}</td><td>${pct(o.cpuMs, c.totalMs)}</td></tr>`).join('');
  const process = c.processMs !== undefined ? ` The process used ${s(c.processMs)} s of CPU (all threads); the difference is what nothing measures: thread start-up, module loading, garbage collection between tasks, the driver.` : '';
  return `<h2>CPU outside steps</h2><p class="muted">${esc(cpuLine(c))}. Steps are timed per batch; this is the work around them, per stage.${process}</p>
<table><tr><th class="l">stage</th><th class="l">work</th><th>CPU s</th><th>share</th></tr>${body}</table>`;
}

function languageSection(d: ReportData): string {
  const kept = d.keptLanguages;
  const langs = [...new Set([...Object.keys(kept), ...Object.keys(d.droppedLanguages)])]
    .map((l) => ({ l, k: kept[l] ?? 0, x: d.droppedLanguages[l] ?? 0 }))
    .sort((a, b) => b.k + b.x - (a.k + a.x) || a.l.localeCompare(b.l)).slice(0, 25);
  if (!langs.length) return '';
  const bars: Bar[] = langs.map(({ l, k, x }) => ({
    label: l,
    parts: [{ value: k, color: KEPT, title: `kept ${k}` }, { value: x, color: '#bbb', title: `dropped after language ID ${x}` }],
    note: `${k} kept, ${x} dropped`,
  }));
  return `<h2>Languages</h2><p class="muted">Documents that reached language ID: kept (green) and dropped by it or a later step (grey). Documents a filter removed before language ID are not labelled.</p>${barChart(bars, { labelWidth: 80 })}`;
}

function lengthSection(d: ReportData): string {
  if (!d.kept || !d.kept.chars.length) return '';
  const tok = d.kept.tokenCounts.length ? `<h2>Tokens per kept document</h2>${histogram(log2Bins(d.kept.tokenCounts, ''), '#7570b3')}` : '';
  return `<h2>Kept document length (characters)</h2>${histogram(log2Bins(d.kept.chars, ''), KEPT)}${tok}`;
}

function tokensSection(d: ReportData): string {
  return d.tokens.map(({ dir, manifest: m }) => {
    const shards = m.shards.slice(0, 50).map((s) => `<tr><td>${esc(s.file)}</td><td>${fmt(s.documents)}</td><td>${fmt(s.tokens)}</td><td>${esc(s.xxhash64)}</td></tr>`).join('');
    const more = m.shards.length > 50 ? `<tr><td colspan="4">… ${m.shards.length - 50} more in manifest.json</td></tr>` : '';
    return `<h2>Token shards</h2><p>${esc(dir)}: <b>${fmt(m.totalTokens)}</b> tokens in <b>${fmt(m.totalDocuments)}</b> documents ` +
      `(${fmt(m.totalDocuments ? m.totalTokens / m.totalDocuments : 0)} per document), ${m.shards.length} ${m.layout === 'megatron' ? 'Megatron .bin/.idx ' : ''}shard(s) of ${m.dtype}; tokenizer <code>${esc(m.tokenizer.name)}</code>, ` +
      `EOS ${m.eosId ?? 'none'}, vocabulary ${fmt(m.vocabSize)}, shuffle ${m.shuffle ? `seed ${m.shuffle.seed}` : 'off'}.</p>` +
      `<table><tr><th class="l">shard</th><th>documents</th><th>tokens</th><th>xxhash64</th></tr>${shards}${more}</table>`;
  }).join('');
}
