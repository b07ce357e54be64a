import { readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

/** Real documents for the dedup benchmarks: every `text` field of the shared JSONL corpus. */
export function loadCorpus(dir = '/work/shared/data/corpus'): string[] {
  const texts: string[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!/\.jsonl?\.gz$/.test(f)) continue;
    const lines = gunzipSync(readFileSync(join(dir, f))).toString('utf8').split('\n');
    for (const line of lines) {
      if (!line.trim()) continue;
      const rec = JSON.parse(line) as { text?: unknown };
      if (typeof rec.text === 'string' && rec.text.length > 0) texts.push(rec.text);
    }
  }
  return texts;
}
