import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, DeleteBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll } from 'vitest';
import { deleteObjects, listObjects, type S3Connection } from '../../src/storage/s3/index.ts';
import { testConnection, type S3TestServer } from './s3-server.ts';

export { NO_S3, findS3Server, testConnection, type S3TestServer } from './s3-server.ts';

/** A bucket that exists for the duration of one test file. */
export interface TestBucket {
  readonly name: string;
  readonly connection: S3Connection;
}

/**
 * Registers hooks creating a bucket with a unique name before the file's tests and emptying and
 * removing it after them. Call at file scope, only when a server was found.
 */
export function useTestBucket(server: S3TestServer | undefined): TestBucket {
  const state = { name: '', connection: undefined as S3Connection | undefined };
  beforeAll(async () => {
    if (!server) return;
    state.connection = testConnection(server);
    state.name = `sluice-test-${randomBytes(6).toString('hex')}`;
    const name = state.name;
    await state.connection.send({ op: 'CreateBucket', bucket: name }, (c) => c.send(new CreateBucketCommand({ Bucket: name })));
  });
  afterAll(async () => {
    const conn = state.connection;
    if (!conn) return;
    // Swift updates a container's listing after the object writes and deletes it acknowledged
    // (and a process a test killed may still be finishing a PUT), so a bucket emptied once can
    // still answer BucketNotEmpty: empty it again, a few times, before giving up.
    for (let round = 1; ; round++) {
      const keys: string[] = [];
      for await (const o of listObjects(conn, state.name, '')) keys.push(o.key);
      await deleteObjects(conn, state.name, keys);
      try {
        await conn.send({ op: 'DeleteBucket', bucket: state.name }, (c) => c.send(new DeleteBucketCommand({ Bucket: state.name })));
        break;
      } catch (e) {
        if (round >= 5 || !/BucketNotEmpty/.test(String((e as Error).message))) throw e;
        await new Promise((ok) => setTimeout(ok, 1000));
      }
    }
    conn.destroy();
  });
  return {
    get name() { return state.name; },
    get connection() {
      if (!state.connection) throw new Error('the test bucket exists only inside tests, after beforeAll');
      return state.connection;
    },
  };
}
