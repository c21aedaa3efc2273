import mongoose from 'mongoose';
import { IdBatchReader } from '../../libs/persistence/id-batch-reader';
import { dropDb, openDb, testEnv } from '../support/test-env';

describe('IdBatchReader on the real store: many callers, few round trips, each gets its own document', () => {
  const { cfg } = testEnv('id-batch-reader');
  let conn: mongoose.Connection;

  beforeAll(async () => {
    conn = await openDb(cfg);
    await conn.collection('docs').insertMany(Array.from({ length: 2000 }, (_, i) => ({ _id: `d${i}` as never, i })));
  });

  afterAll(async () => {
    await dropDb(conn);
  });

  it('answers 300 concurrent lookups (a third of them missing) in far fewer finds', async () => {
    const finds: number[] = [];
    const collection = conn.collection('docs');
    const counting = new Proxy(collection, {
      get: (target, prop, receiver) => {
        if (prop === 'find' || prop === 'findOne') finds.push(1);
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const reader = new IdBatchReader<{ _id: string; i: number }>(counting);
    const ids = Array.from({ length: 300 }, (_, k) => (k % 3 === 2 ? `missing${k}` : `d${(k * 7) % 2000}`));
    // The same id asked twice at once is read once and answered to both.
    ids.push('d7', 'd7');
    const docs = await Promise.all(ids.map((id) => reader.findById(id)));
    docs.forEach((d, k) => {
      if (ids[k].startsWith('missing')) expect(d).toBeNull();
      else expect(d).toEqual({ _id: ids[k], i: Number(ids[k].slice(1)) });
    });
    expect(finds.length).toBeLessThanOrEqual(3);
  });

  it('answers `$in` on an indexed field like MongoDB: array values match, and past 1,000 values too (not pushed down)', async () => {
    const tagged = conn.collection('tagged');
    await tagged.createIndex({ u: 1 });
    await tagged.insertMany([
      { _id: 't1' as never, u: 'a' },
      { _id: 't2' as never, u: 'b' },
      { _id: 't3' as never, u: ['c', 'x'] },
      { _id: 't4' as never, u: 'd' },
    ]);
    const ids = async (values: string[]) => (await tagged.find({ u: { $in: values } }).toArray()).map((d) => d._id).sort();
    expect(await ids(['a', 'c', 'zz'])).toEqual(['t1', 't3']);
    const many = Array.from({ length: 1500 }, (_, i) => `v${i}`);
    expect(await ids([...many, 'b', 'x'])).toEqual(['t2', 't3']);
  });

  it('serves a batched `_id: { $in }` from the `_id` index (patched FerretDB) rather than a scan', async () => {
    const explained = await conn.db!.command({ explain: { find: 'docs', filter: { _id: { $in: ['d1', 'd2'] } } } });
    // FerretDB reports its pushdown; MongoDB reports an IXSCAN (or IDHACK-like) winning plan.
    const plan = JSON.stringify(explained.queryPlanner);
    if ('filterPushdown' in explained) {
      expect(explained.filterPushdown).toBe(true);
      expect(plan).toMatch(/Index Scan/);
    } else expect(plan).toMatch(/IXSCAN|IDHACK|EXPRESS/);
  });
});
