/** How {@link S3Connection} retries a request. */
export interface RetryPolicy {
  /** Attempts in all, the first included; default 8. */
  maxAttempts: number;
  /** Backoff before retry n is uniform in [0, min(maxDelayMs, baseDelayMs · 2^(n-1))]; default 100 ms. */
  baseDelayMs: number;
  /** Ceiling of one backoff; default 20 s. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 20_000 };

/** What a request is about, for error messages. */
export interface RequestTarget {
  /** The S3 operation, e.g. `GetObject`. */
  op: string;
  bucket: string;
  key?: string;
}

/** A request that failed for good: names operation, bucket and key, and keeps the last error as `cause`. */
export class S3RequestError extends Error {
  /** HTTP status of the last attempt, when the server answered. */
  readonly status: number | undefined;
  /** S3 error code (e.g. `NoSuchKey`, `SlowDown`) or Node error code (e.g. `ECONNRESET`) of the last attempt. */
  readonly code: string | undefined;

  constructor(readonly target: RequestTarget, readonly attempts: number, cause: unknown) {
    const where = `s3://${target.bucket}${target.key === undefined ? '' : `/${target.key}`}`;
    const tries = attempts === 1 ? '' : ` after ${attempts} attempts`;
    super(`S3 ${target.op} ${where} failed${tries}: ${describeError(cause)}`, { cause });
    this.name = 'S3RequestError';
    this.status = httpStatus(cause);
    this.code = errorCode(cause);
  }
}

const RETRYABLE_CODES = new Set([
  'SlowDown', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestThrottled',
  'RequestTimeout', 'RequestTimeoutException', 'InternalError', 'ServiceUnavailable', 'TimeoutError',
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET',
]);

/**
 * Whether an error is worth another attempt: throttling (429, 503 SlowDown), any 5xx, and a
 * connection dropped before or during the response. 4xx answers (missing key, bad credentials,
 * invalid range) are final.
 */
export function isRetryable(e: unknown): boolean {
  const status = httpStatus(e);
  if (status !== undefined && (status === 429 || status >= 500)) return true;
  const code = errorCode(e);
  if (code !== undefined && RETRYABLE_CODES.has(code)) return true;
  const message = e instanceof Error ? e.message : '';
  // Node reports a peer that closed the socket mid-request in words, without a code.
  return /socket hang up|aborted|premature close|other side closed|ECONNRESET/i.test(message) && (status === undefined || status >= 500);
}

/** Backoff before retry `attempt` (1 = the first retry): full jitter over an exponential ceiling. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return random() * ceiling;
}

/** The HTTP status an SDK error carries, if the server answered. */
export function httpStatus(e: unknown): number | undefined {
  const meta = (e as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  return meta?.httpStatusCode;
}

function errorCode(e: unknown): string | undefined {
  if (e === null || typeof e !== 'object') return undefined;
  const { code, name, Code } = e as { code?: unknown; name?: unknown; Code?: unknown };
  if (typeof code === 'string') return code;
  if (typeof Code === 'string') return Code;
  if (typeof name === 'string' && name !== 'Error' && name !== 'S3ServiceException') return name;
  return undefined;
}

function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const status = httpStatus(e);
  const code = errorCode(e);
  const parts = [code, status === undefined ? undefined : `HTTP ${status}`].filter((p) => p !== undefined);
  return parts.length ? `${e.message} (${parts.join(', ')})` : e.message;
}
