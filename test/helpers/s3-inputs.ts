import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { putObjectBytes, type S3Connection } from '../../src/storage/s3/index.ts';
import type { S3TestServer } from './s3-server.ts';

/**
 * Points this process's default S3 connection (the one readers open by URI) at `endpoint`, by the
 * standard environment variables. Call before the first `s3://` read of the test file: the
 * default connection is made once per process (each vitest file runs in its own worker).
 */
export function useServerEnvironment(server: S3TestServer, endpoint = server.endpoint): Record<string, string> {
  const vars = {
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_ACCESS_KEY_ID: server.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.secretAccessKey,
    AWS_REGION: server.region,
    SLUICE_S3_PATH_STYLE: server.forcePathStyle ? '1' : '0',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  Object.assign(process.env, vars);
  return vars;
}

/** Uploads every file of a local directory under `prefix` (keys `prefix + name`); returns the names, sorted. */
export async function uploadDirectory(conn: S3Connection, bucket: string, dir: string, prefix: string): Promise<string[]> {
  const names = (await readdir(dir)).sort();
  for (const name of names) await putObjectBytes(conn, bucket, `${prefix}${name}`, await readFile(join(dir, name)));
  return names;
}

/** A table's rows as plain objects, for row-for-row comparison. */
export function rowsOf(table: Table): Record<string, unknown>[] {
  return table.toArray().map((r) => ({ ...(r as { toJSON(): Record<string, unknown> }).toJSON() }));
}
