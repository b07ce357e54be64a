import { writeFileAt } from '../io/location/file-uri.ts';
import { joinUri } from '../storage/uri.ts';
import { loadReportData } from './data.ts';
import { renderReport } from './html.ts';
import { renderSummary } from './summary.ts';

export { loadReportData, type ReportData } from './data.ts';
export { renderReport } from './html.ts';
export { renderSummary } from './summary.ts';

/** Path of the run report inside an output directory. */
export const reportFile = (outDir: string): string => joinUri(outDir, 'report.html');

/**
 * Writes `<outDir>/report.html` from what a finished run left there (stats.json, plan.json, token
 * manifests, the Parquet documents, drop logs) and returns the terminal summary. Reading only the
 * outputs is what lets `sluice report` regenerate it any time.
 */
export async function writeReport(outDir: string): Promise<{ path: string; summary: string }> {
  const data = await loadReportData(outDir);
  const path = reportFile(outDir);
  await writeFileAt(path, renderReport(data));
  return { path, summary: renderSummary(data) };
}
