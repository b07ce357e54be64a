/** Inline SVG charts for the run report: no scripts, no fonts or styles fetched from anywhere. */

export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (Math.abs(n) >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (Math.abs(n) >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (Math.abs(n) >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1);
}

export function fmtBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} B`;
}

export interface Bar {
  label: string;
  /** Stacked segments, drawn left to right. */
  parts: { value: number; color: string; title: string }[];
  /** Text right of the bar. */
  note: string;
}

/** Horizontal (stacked) bars, one row per item, scaled to the largest total. */
export function barChart(bars: Bar[], opts: { labelWidth?: number; width?: number } = {}): string {
  const labelW = opts.labelWidth ?? 220, width = opts.width ?? 880, row = 24, noteW = 190;
  const plotW = width - labelW - noteW;
  const max = Math.max(1, ...bars.map((b) => b.parts.reduce((s, p) => s + p.value, 0)));
  const h = bars.length * row + 8;
  const rows = bars.map((b, i) => {
    const y = 4 + i * row;
    let x = labelW;
    const rects = b.parts.map((p) => {
      const w = (p.value / max) * plotW;
      const r = w > 0 ? `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${Math.max(w, 0.5).toFixed(1)}" height="${row - 8}" fill="${p.color}"><title>${esc(p.title)}</title></rect>` : '';
      x += w;
      return r;
    }).join('');
    return `<text x="${labelW - 8}" y="${y + row / 2 + 4}" text-anchor="end">${esc(b.label)}</text>${rects}` +
      `<text x="${(x + 6).toFixed(1)}" y="${y + row / 2 + 4}" class="note">${esc(b.note)}</text>`;
  }).join('');
  return `<svg class="chart" viewBox="0 0 ${width} ${h}" width="${width}" height="${h}" role="img">${rows}</svg>`;
}

/** A vertical histogram over given bins (labels under each bar). */
export function histogram(bins: { label: string; count: number }[], color: string, opts: { width?: number; height?: number } = {}): string {
  const width = opts.width ?? 880, height = opts.height ?? 200, bottom = 34, top = 16;
  const n = Math.max(1, bins.length), max = Math.max(1, ...bins.map((b) => b.count));
  const bw = (width - 20) / n;
  const bars = bins.map((b, i) => {
    const h = (b.count / max) * (height - bottom - top);
    const x = 10 + i * bw, y = height - bottom - h;
    return `<rect x="${(x + 2).toFixed(1)}" y="${y.toFixed(1)}" width="${(bw - 4).toFixed(1)}" height="${h.toFixed(1)}" fill="${color}"><title>${esc(`${b.label}: ${b.count}`)}</title></rect>` +
      (b.count ? `<text x="${(x + bw / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle" class="note">${b.count}</text>` : '') +
      `<text x="${(x + bw / 2).toFixed(1)}" y="${height - bottom + 14}" text-anchor="middle" class="axis">${esc(b.label)}</text>`;
  }).join('');
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">` +
    `<line x1="10" x2="${width - 10}" y1="${height - bottom}" y2="${height - bottom}" stroke="#999"/>${bars}</svg>`;
}

/** Power-of-two bins from the smallest to the largest value: lengths span orders of magnitude. */
export function log2Bins(values: readonly number[], unit: string): { label: string; count: number }[] {
  if (!values.length) return [];
  const lo = Math.floor(Math.log2(Math.max(1, Math.min(...values))));
  const hi = Math.floor(Math.log2(Math.max(1, ...values)));
  const bins = Array.from({ length: hi - lo + 1 }, (_, i) => ({ label: `≥${fmt(2 ** (lo + i))}${unit}`, count: 0 }));
  for (const v of values) bins[Math.floor(Math.log2(Math.max(1, v))) - lo]!.count++;
  return bins;
}

/** A fixed palette for drop reasons, stable by position. */
export const PALETTE = ['#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#1f78b4', '#b2df8a', '#fb9a99', '#cab2d6', '#666666', '#fdbf6f'];
export const KEPT = '#1b9e77';
