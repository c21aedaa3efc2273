import mongoose from 'mongoose';
import { InsertBatcher } from '../../libs/persistence/insert-batcher';
import { dropDb, openDb, testEnv } from '../support/test-env';

describe('InsertBatcher on the real store: concurrent callers share inserts, each id is stored once', () => {
  const { cfg } = testEnv('insert-batcher');
  let conn: mongoose.Connection;

  beforeAll(async () => {
    conn = await openDb(cfg);
    await conn.collection('docs').insertOne({ _id: 'old' as never, by: -1 });
  });

  afterAll(async () => {
    await dropDb(conn);
  });

  it('stores every new id once, tells each caller which of its ids were already stored, in few insertMany', async () => {
    const collection = conn.collection('docs');
    let inserts = 0;
    const counting = new Proxy(collection, {
      get: (target, prop, receiver) => {
        if (prop === 'insertMany') inserts++;
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const batcher = new InsertBatcher<{ _id: string; by: number }>(counting);
    // 60 callers: each a doc of its own, 'old' (already stored) for every tenth, 'shared' for every fifth.
    const calls = Array.from({ length: 60 }, (_, c) => [
      { _id: `own${c}`, by: c },
      ...(c % 10 === 0 ? [{ _id: 'old', by: c }] : []),
      ...(c % 5 === 0 ? [{ _id: 'shared', by: c }] : []),
    ]);
    const already = await Promise.all(calls.map((docs) => batcher.insert(docs)));
    already.forEach((ids, c) => expect(ids.has(`own${c}`)).toBe(false));
    expect(already.filter((ids) => ids.has('old'))).toHaveLength(6);
    // 'shared' was new: exactly one of its 12 callers stored it, the other 11 find it already stored.
    expect(already.filter((ids) => ids.has('shared'))).toHaveLength(11);
    expect(await collection.countDocuments({})).toBe(1 + 60 + 1);
    expect((await collection.findOne({ _id: 'old' as never }))!.by).toBe(-1);
    expect(inserts).toBeLessThanOrEqual(3);
  });
});
