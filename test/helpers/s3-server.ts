import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { S3Connection, type S3ConnectionOptions } from '../../src/storage/s3/index.ts';

/** The skip message of S3 tests when no server answers. */
export const NO_S3 = 'no S3 server: run .ci/s3/start.sh';

/** How to reach the test server. */
export interface S3TestServer {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

/** The state directory of `.ci/s3/start.sh`, where it writes the `env` file this helper reads. */
const stateDir = (): string => process.env.SLUICE_S3_STATE ?? '/tmp/sluice-swift';

function fromVars(vars: Readonly<Record<string, string | undefined>>): S3TestServer | undefined {
  const endpoint = vars.AWS_ENDPOINT_URL_S3 || vars.AWS_ENDPOINT_URL;
  if (!endpoint || !vars.AWS_ACCESS_KEY_ID || !vars.AWS_SECRET_ACCESS_KEY) return undefined;
  return {
    endpoint,
    region: vars.AWS_REGION || 'us-east-1',
    accessKeyId: vars.AWS_ACCESS_KEY_ID,
    secretAccessKey: vars.AWS_SECRET_ACCESS_KEY,
    forcePathStyle: vars.SLUICE_S3_PATH_STYLE === '1',
  };
}

function fromStateFile(): S3TestServer | undefined {
  let text: string;
  try {
    text = readFileSync(join(stateDir(), 'env'), 'utf8');
  } catch {
    return undefined;
  }
  const vars: Record<string, string> = {};
  for (const m of text.matchAll(/^export ([A-Z0-9_]+)=(.*)$/gm)) vars[m[1]!] = m[2]!.trim();
  return fromVars(vars);
}

async function reachable(endpoint: string): Promise<boolean> {
  try {
    await fetch(endpoint, { signal: AbortSignal.timeout(3000) });
    return true;
  } catch {
    return false;
  }
}

/**
 * The S3-compatible server for tests: from the standard environment variables, else from the file
 * `.ci/s3/start.sh` writes; undefined when none answers, so tests skip with {@link NO_S3}, unless
 * `SLUICE_REQUIRE_S3=1` (set by `.ci/run`), where a missing server is an error.
 */
export async function findS3Server(): Promise<S3TestServer | undefined> {
  const server = fromVars(process.env) ?? fromStateFile();
  if (server && (await reachable(server.endpoint))) return server;
  if (process.env.SLUICE_REQUIRE_S3 === '1') {
    throw new Error(`${NO_S3} (SLUICE_REQUIRE_S3=1; tried ${server?.endpoint ?? 'no endpoint configured'})`);
  }
  return undefined;
}

/** A connection to the test server (or, with `endpoint`, to a proxy in front of it). */
export function testConnection(server: S3TestServer, options: S3ConnectionOptions = {}): S3Connection {
  return new S3Connection({
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    // Quick retries: tests inject faults by request count, never by time.
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    env: {},
    ...options,
  });
}
