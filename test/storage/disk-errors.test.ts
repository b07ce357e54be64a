import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskErrorCode } from '../../src/storage/disk-errors.ts';

describe('diskErrorCode', () => {
  it('knows a disk error by its code, through a cause chain, and by message once cloned from a worker', () => {
    const enospc = Object.assign(new Error("ENOSPC: no space left on device, write '/out/_store/chunks/ab/x'"), { code: 'ENOSPC' });
    expect(diskErrorCode(enospc)).toBe('ENOSPC');
    expect(diskErrorCode(new Error('task s0/1 failed', { cause: enospc }))).toBe('ENOSPC');
    const cloned = structuredClone(new Error("EIO: i/o error, rename '/out/_store/manifests/run/manifest.json'"));
    expect(diskErrorCode(cloned)).toBe('EIO');
  });

  it('leaves other errors alone, real ones included', async () => {
    const missing = await open(join(tmpdir(), `sluice-no-such-dir-${process.pid}`, 'f'), 'r').catch((e: unknown) => e);
    expect((missing as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(diskErrorCode(missing)).toBeUndefined();
    expect(diskErrorCode(new Error('no space left for another bucket'))).toBeUndefined();
    expect(diskErrorCode('ENOSPC')).toBeUndefined();
  });
});
