import type { RecordBatch } from 'apache-arrow';
import { DOC_FILE, DOC_POS } from '../../plan/logical-plan.ts';

/**
 * The drop log: a bounded sample of the documents each step dropped, with the reason, so users can
 * see what a filter removes (`sluice inspect --dropped-by <step>`), plus the language of every
 * dropped document that carries one (the run report's language distribution). Counts live in
 * `stats.json`; this only keeps examples: the first {@link SAMPLES_PER_REASON} per step and reason
 * per task, in input order, so the log is deterministic and small whatever the corpus size.
 */
export const SAMPLES_PER_REASON = 20;
/** Characters of `text` (or, before extraction, `html`) kept per sample. */
export const SAMPLE_CHARS = 1000;

export interface DropSample {
  stage: string;
  step: number;
  stepName: string;
  reason: string;
  /** Input file index and position (`__file`/`__pos`): the document's identity. */
  fileIndex: number;
  pos: number;
  id?: string;
  url?: string;
  language?: string;
  /** Prefix of the text (or of the HTML when the step ran before extraction). */
  text?: string;
  /** Full length of that column, in characters. */
  chars?: number;
}

export interface DropLog {
  samples: DropSample[];
  /** Language label → dropped documents carrying it. */
  languages: Record<string, number>;
}

export const emptyDropLog = (): DropLog => ({ samples: [], languages: {} });

/** Adds one `dropped` event's rows to the log, keeping at most the per-reason bound. */
export function addDropped(log: DropLog, stage: string, step: number, stepName: string, reason: string, rows: RecordBatch): void {
  const col = (name: string) => rows.getChild(name);
  const file = col(DOC_FILE), pos = col(DOC_POS), id = col('id'), url = col('url'), lang = col('language');
  const text = col('text') ?? col('html');
  if (lang) {
    for (let i = 0; i < rows.numRows; i++) {
      const l = lang.get(i) as string | null;
      if (l !== null) log.languages[l] = (log.languages[l] ?? 0) + 1;
    }
  }
  let have = log.samples.reduce((n, s) => n + (s.step === step && s.reason === reason && s.stage === stage ? 1 : 0), 0);
  for (let i = 0; i < rows.numRows && have < SAMPLES_PER_REASON; i++, have++) {
    const s: DropSample = { stage, step, stepName, reason, fileIndex: Number(file?.get(i) ?? -1), pos: Number(pos?.get(i) ?? -1) };
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const idv = str(id?.get(i)), urlv = str(url?.get(i)), langv = str(lang?.get(i)), t = str(text?.get(i));
    if (idv !== undefined) s.id = idv;
    if (urlv !== undefined) s.url = urlv;
    if (langv !== undefined) s.language = langv;
    if (t !== undefined) { s.text = t.slice(0, SAMPLE_CHARS); s.chars = t.length; }
    log.samples.push(s);
  }
}

/** Merges logs in order, keeping the per-reason bound (the earliest samples win). */
export function mergeDropLogs(logs: readonly DropLog[]): DropLog {
  const out = emptyDropLog();
  const seen = new Map<string, number>();
  for (const log of logs) {
    for (const s of log.samples) {
      const k = `${s.stage}\u0000${s.step}\u0000${s.reason}`;
      const n = seen.get(k) ?? 0;
      if (n < SAMPLES_PER_REASON) { out.samples.push(s); seen.set(k, n + 1); }
    }
    for (const [l, n] of Object.entries(log.languages)) out.languages[l] = (out.languages[l] ?? 0) + n;
  }
  return out;
}

/** Whether a log holds neither samples nor languages (nothing is written for it). */
export const isEmptyDropLog = (log: DropLog): boolean => log.samples.length === 0 && Object.keys(log.languages).length === 0;
