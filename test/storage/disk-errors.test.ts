import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskErrorCode, withPath } from '../../src/storage/disk-errors.ts';

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

describe('withPath', () => {
  it('adds the path to a disk error that lacks it (a write through a file handle), keeping its code', () => {
    const bare = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    const named = withPath(bare, '/out/tokens/tokens-00000.ds') as NodeJS.ErrnoException;
    expect(named.message).toBe("ENOSPC: no space left on device, write '/out/tokens/tokens-00000.ds'");
    expect(named.code).toBe('ENOSPC');
    expect(named.cause).toBe(bare);
  });

  it('leaves errors that name the path, and other errors, as they are', () => {
    const full = Object.assign(new Error("EIO: i/o error, rename '/out/a.tmp' -> '/out/a'"), { code: 'EIO' });
    expect(withPath(full, '/out/a')).toBe(full);
    const other = new Error('bad batch');
    expect(withPath(other, '/out/a')).toBe(other);
  });
});
