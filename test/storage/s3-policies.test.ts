import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY, MAX_PARTS, createS3Client, MAX_PART_SIZE, S3RequestError, Semaphore, backoffMs, isRetryable, partSizeForSize,
  partSizeForStream, resolveS3Settings,
} from '../../src/storage/s3/index.ts';

const MIB = 1 << 20;
/** An error shaped as the SDK throws for an HTTP answer. */
const httpError = (name: string, status: number): Error => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
const netError = (code: string, message: string): Error => Object.assign(new Error(message), { code });

describe('S3 client settings', () => {
  it('reads endpoint, region and path style from the standard variables', () => {
    expect(resolveS3Settings({ env: {} })).toEqual({ endpoint: undefined, region: undefined, forcePathStyle: false });
    expect(resolveS3Settings({ env: { AWS_ENDPOINT_URL: 'http://a:1', AWS_ENDPOINT_URL_S3: 'http://s3:2', SLUICE_S3_PATH_STYLE: '1' } }))
      .toEqual({ endpoint: 'http://s3:2', region: undefined, forcePathStyle: true });
    expect(resolveS3Settings({ env: { AWS_ENDPOINT_URL: 'http://a:1', AWS_DEFAULT_REGION: 'eu-west-3' } }))
      .toEqual({ endpoint: 'http://a:1', region: 'eu-west-3', forcePathStyle: false });
    expect(resolveS3Settings({ env: { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'eu-west-3' }, forcePathStyle: true }))
      .toEqual({ endpoint: undefined, region: 'us-west-2', forcePathStyle: true });
    expect(resolveS3Settings({ env: { SLUICE_S3_PATH_STYLE: '1' }, forcePathStyle: false }).forcePathStyle).toBe(false);
  });

  it('takes a custom endpoint\'s region from the profile in the config file, else us-east-1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-aws-config-'));
    const saved = { AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE, AWS_REGION: process.env.AWS_REGION, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION, AWS_PROFILE: process.env.AWS_PROFILE };
    try {
      delete process.env.AWS_REGION;
      delete process.env.AWS_DEFAULT_REGION;
      delete process.env.AWS_PROFILE;
      const withRegion = join(dir, 'config');
      await writeFile(withRegion, '[default]\nregion = eu-north-1\n');
      process.env.AWS_CONFIG_FILE = withRegion;
      const configured = createS3Client({ endpoint: 'http://127.0.0.1:9', env: {} });
      expect(await configured.config.region()).toBe('eu-north-1');
      process.env.AWS_CONFIG_FILE = join(dir, 'none');
      const bare = createS3Client({ endpoint: 'http://127.0.0.1:9', env: {} });
      expect(await bare.config.region()).toBe('us-east-1');
      expect(await createS3Client({ endpoint: 'http://127.0.0.1:9', region: 'ap-south-1', env: {} }).config.region()).toBe('ap-south-1');
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('multipart part sizes', () => {
  it('fits objects of known size into at most 10,000 parts of whole MiB', () => {
    expect(partSizeForSize(100 * MIB)).toBe(8 * MIB);
    expect(partSizeForSize(100 * MIB, 5 * MIB)).toBe(5 * MIB);
    const fiveTiB = 5 * 1024 ** 4;
    const part = partSizeForSize(fiveTiB);
    expect(part % MIB).toBe(0);
    expect(Math.ceil(fiveTiB / part)).toBeLessThanOrEqual(MAX_PARTS);
    expect(Math.ceil(fiveTiB / (part - MIB))).toBeGreaterThan(MAX_PARTS);
    expect(() => partSizeForSize(MAX_PARTS * MAX_PART_SIZE + 1)).toThrow(/does not fit/);
  });

  it('grows the part size of a stream so 10,000 parts hold more than S3\'s 5 TiB object limit', () => {
    expect(partSizeForStream(0)).toBe(8 * MIB);
    expect(partSizeForStream(999)).toBe(8 * MIB);
    expect(partSizeForStream(1000)).toBe(16 * MIB);
    expect(partSizeForStream(0, MIB)).toBe(5 * MIB);
    let total = 0;
    for (let i = 0; i < MAX_PARTS; i++) {
      const size = partSizeForStream(i);
      expect(size).toBeLessThanOrEqual(MAX_PART_SIZE);
      total += size;
    }
    expect(total).toBeGreaterThan(5 * 1024 ** 4);
    expect(() => partSizeForStream(MAX_PARTS)).toThrow(/at most 10000 parts/);
  });
});

describe('retry policy', () => {
  it('retries throttling, 5xx and dropped connections, not client errors', () => {
    expect(isRetryable(httpError('SlowDown', 503))).toBe(true);
    expect(isRetryable(httpError('TooManyRequests', 429))).toBe(true);
    expect(isRetryable(httpError('InternalError', 500))).toBe(true);
    expect(isRetryable(httpError('BadGateway', 502))).toBe(true);
    expect(isRetryable(netError('ECONNRESET', 'read ECONNRESET'))).toBe(true);
    expect(isRetryable(new Error('socket hang up'))).toBe(true);
    expect(isRetryable(netError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'))).toBe(true);
    expect(isRetryable(httpError('NoSuchKey', 404))).toBe(false);
    expect(isRetryable(httpError('AccessDenied', 403))).toBe(false);
    expect(isRetryable(httpError('InvalidRange', 416))).toBe(false);
    expect(isRetryable(new TypeError('x is not a function'))).toBe(false);
  });

  it('backs off with full jitter under an exponential ceiling', () => {
    const p = DEFAULT_RETRY_POLICY;
    expect(backoffMs(p, 1, () => 1)).toBe(p.baseDelayMs);
    expect(backoffMs(p, 4, () => 1)).toBe(p.baseDelayMs * 8);
    expect(backoffMs(p, 4, () => 0)).toBe(0);
    expect(backoffMs(p, 4, () => 0.5)).toBe(p.baseDelayMs * 4);
    expect(backoffMs(p, 40, () => 1)).toBe(p.maxDelayMs);
  });

  it('names operation, bucket, key, attempts and cause in the final error', () => {
    const cause = httpError('SlowDown', 503);
    const e = new S3RequestError({ op: 'PutObject', bucket: 'b', key: 'runs/x' }, 8, cause);
    expect(e.message).toBe('S3 PutObject s3://b/runs/x failed after 8 attempts: SlowDown (SlowDown, HTTP 503)');
    expect(e).toMatchObject({ status: 503, code: 'SlowDown', attempts: 8, cause });
  });
});

describe('Semaphore', () => {
  it('admits at most its limit at once, in arrival order', async () => {
    const sem = new Semaphore(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const gates: (() => void)[] = [];
    const tasks = Array.from({ length: 6 }, (_, i) => sem.run(async () => {
      active++;
      peak = Math.max(peak, active);
      order.push(i);
      await new Promise<void>((r) => gates.push(r));
      active--;
    }));
    // Release holders one by one; each release admits exactly the next waiter.
    for (let released = 0; released < 6; released++) {
      while (gates.length === 0) await new Promise((r) => setImmediate(r));
      gates.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(tasks);
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => new Semaphore(0)).toThrow(/positive integer/);
  });
});
