import { Collection, MongoBulkWriteError, MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import { insertNew } from './insert-new';

/** A collection whose insertMany fails the way the driver does; only the error paths are unit-tested here. */
function failingWith(err: unknown): Collection {
  return { insertMany: async () => Promise.reject(err) } as unknown as Collection;
}

const result = (insertedCount: number) => ({ insertedCount }) as never;
const docs = [{ _id: 'a' }, { _id: 'b' }, { _id: 'c' }];

describe('insertNew', () => {
  it('counts refused duplicate _ids as duplicates', async () => {
    const err = new MongoBulkWriteError({ message: 'E11000', code: 11000, writeErrors: [{ code: 11000, index: 0 }, { code: 11000, index: 2 }] as never }, result(1));
    await expect(insertNew(failingWith(err), docs)).resolves.toEqual({ inserted: 1, duplicates: 2, duplicateIds: new Set(['a', 'c']) });
  });

  it('fails, never counting duplicates, when the server went away mid-batch (a bulk error without write errors)', async () => {
    const err = new MongoBulkWriteError(new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed'), result(0));
    expect(err.writeErrors).toEqual([]);
    await expect(insertNew(failingWith(err), docs)).rejects.toBe(err);
  });

  it('fails when some documents were neither inserted nor refused as duplicates', async () => {
    const err = new MongoBulkWriteError({ message: 'E11000', code: 11000, writeErrors: [{ code: 11000 }] as never }, result(1));
    await expect(insertNew(failingWith(err), docs)).rejects.toBe(err);
  });

  it('fails on any other write error or a driver error', async () => {
    const other = new MongoBulkWriteError({ message: 'bad', code: 2, writeErrors: [{ code: 11000 }, { code: 2 }] as never }, result(1));
    await expect(insertNew(failingWith(other), docs)).rejects.toBe(other);
    const down = new MongoServerSelectionError('Server selection timed out after 1000 ms', {} as never);
    await expect(insertNew(failingWith(down), docs)).rejects.toBe(down);
  });
});
