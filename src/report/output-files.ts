import { listUnder, readTextAt } from '../io/location/file-uri.ts';

/** A JSON file of a run's output (local or `s3://`); `missing` is the error when it is not there. */
export async function readOutputJson<T>(uri: string, missing: string): Promise<T> {
  const text = await readTextAt(uri);
  if (text === undefined) throw new Error(missing);
  return JSON.parse(text) as T;
}

/** URIs of the files directly in `dirUri` whose names end with `ext`, sorted by name. */
export async function outputFiles(dirUri: string, ext: string): Promise<string[]> {
  return (await listUnder(dirUri)).filter((e) => !e.path.includes('/') && e.path.endsWith(ext)).map((e) => e.uri);
}
