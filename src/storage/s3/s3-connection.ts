import { setTimeout as sleep } from 'node:timers/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_RETRY_POLICY, S3RequestError, backoffMs, isRetryable, type RequestTarget, type RetryPolicy } from './retry.ts';
import { createS3Client, resolveS3Settings, type S3ClientOptions } from './s3-client.ts';
import { Semaphore } from './semaphore.ts';

/** A client plus the policies every request through it follows. */
export interface S3ConnectionOptions extends S3ClientOptions {
  /** Requests in flight at once through this connection, all stores and readers together; default 16. */
  maxConcurrency?: number;
  /** Overrides of {@link DEFAULT_RETRY_POLICY}. */
  retry?: Partial<RetryPolicy>;
}

/**
 * One S3 client with bounded concurrency and retries. Every request goes through {@link send}:
 * it takes a slot of the connection's semaphore for each attempt (never while backing off), and
 * retries throttling, 5xx and dropped connections with exponential backoff and full jitter, up to
 * the policy's attempts; the final error names the operation, bucket and key.
 */
export class S3Connection {
  readonly client: S3Client;
  readonly retry: RetryPolicy;
  /** Endpoint the client talks to, for messages (undefined: AWS S3). */
  readonly endpoint: string | undefined;
  private readonly slots: Semaphore;
  private readonly attempts = new Map<string, number>();

  constructor(options: S3ConnectionOptions = {}) {
    const maxConcurrency = options.maxConcurrency ?? 16;
    this.client = createS3Client({ ...options, maxSockets: options.maxSockets ?? maxConcurrency * 2 });
    this.endpoint = resolveS3Settings(options).endpoint;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.slots = new Semaphore(maxConcurrency);
  }

  /**
   * Runs one request with retries. `fn` must do the whole exchange, reading the response body
   * too, so a connection dropped mid-body is retried like one dropped before the headers; it may
   * run several times, so its request body must be replayable (bytes, not a one-shot stream).
   */
  async send<T>(target: RequestTarget, fn: (client: S3Client) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      this.attempts.set(target.op, (this.attempts.get(target.op) ?? 0) + 1);
      try {
        return await this.slots.run(() => fn(this.client));
      } catch (e) {
        if (attempt >= this.retry.maxAttempts || !isRetryable(e)) throw new S3RequestError(target, attempt, e);
      }
      await sleep(backoffMs(this.retry, attempt));
    }
  }

  /** HTTP requests sent so far per operation (retries included), e.g. `{ GetObject: 12, ListObjectsV2: 1 }`. */
  requestCounts(): Record<string, number> {
    return Object.fromEntries([...this.attempts].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Forgets the counts of {@link requestCounts}. */
  resetRequestCounts(): void {
    this.attempts.clear();
  }

  /** Closes the client's sockets. */
  destroy(): void {
    this.client.destroy();
  }
}

let shared: S3Connection | undefined;

/**
 * The process-wide connection configured from the environment alone, so every store and reader
 * opened by URI shares one semaphore and one socket pool.
 */
export function defaultS3Connection(): S3Connection {
  shared ??= new S3Connection();
  return shared;
}
