import mongoose from 'mongoose';
import { SendLedgerRepository } from '../../libs/persistence/send-ledger.repository';
import { standaloneTypology } from '../../libs/typology/standalone-decider';
import { dropDb, openDb, testEnv } from '../support/test-env';

type Counter = { n: number };
const increment = (s: Counter | undefined) => ({ state: { n: (s?.n ?? 0) + 1 }, result: (s?.n ?? 0) + 1 });

describe('send ledger versions on FerretDB: sweeping while writers run', () => {
  const { cfg } = testEnv('typology-ledger-sweep');
  let conn: mongoose.Connection;
  /** A caller with nothing in memory. */
  const fresh = (): SendLedgerRepository => standaloneTypology(conn).ledger;
  const versions = async (k: string) => (await conn.collection('send_ledger').find({ k }).toArray()).map((d) => ({ v: d.v as number, live: d.s !== null })).sort((a, b) => a.v - b.v);

  beforeAll(async () => {
    conn = await openDb(cfg);
  });

  afterAll(async () => {
    await dropDb(conn);
  });

  it('turns superseded versions into tombstones, deletes old ones, and ledgers read and grow the same after', async () => {
    const writer = fresh();
    for (const [k, n] of [['k/a', 30], ['k/b', 5], ['k/c', 1]] as const) for (let i = 0; i < n; i++) await writer.transition(k, increment);
    await writer.flush();
    const sweeper = fresh().configure({ tombstoneAgeMs: 0 });
    const now = Date.now();

    expect(await sweeper.sweep(now)).toEqual({ tombstoned: 29 + 4, deleted: 0 });
    expect((await versions('k/a')).filter((v) => v.live)).toEqual([{ v: 29, live: true }]);
    // Later, the tombstones are old: all but version 0 go.
    expect(await sweeper.sweep(now + 1)).toEqual({ tombstoned: 0, deleted: 28 + 3 });
    expect(await versions('k/a')).toEqual([{ v: 0, live: false }, { v: 29, live: true }]);
    expect(await versions('k/c')).toEqual([{ v: 0, live: true }]);

    expect(await fresh().state<Counter>('k/a')).toEqual({ n: 30 });
    expect(await fresh().transition('k/b', increment)).toBe(6);
    // A lost hint: the reader finds version 0 swept and 1 gone, and searches the ledger by key.
    expect((await conn.collection('send_ledger').deleteOne({ _id: 'k/a#head' as never })).deletedCount).toBe(1);
    expect(await fresh().transition('k/a', increment)).toBe(31);
    expect(await fresh().state<Counter>('k/a')).toEqual({ n: 31 });
  });

  it('loses no change when independent writers race each other and a sweeper deleting as it goes', async () => {
    // The production bounds scaled down, keeping their order: staleness < tombstone age.
    const writers = Array.from({ length: 8 }, () => fresh().configure({ maxStalenessMs: 300, cacheTtlMs: 200 }));
    const sweeper = fresh().configure({ tombstoneAgeMs: 1000 });
    const N = 400;
    let writing = true;
    const sweeps = (async () => {
      let deleted = 0;
      while (writing) deleted += (await sweeper.sweep()).deleted;
      return deleted;
    })();
    const results = await Promise.all(
      Array.from({ length: N }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i * 10)); // spread over a few seconds, past the tombstone age
        return writers[i % writers.length].transition('k/race', increment);
      }),
    );
    writing = false;
    expect(await sweeps).toBeGreaterThan(0);
    // Every increment saw a distinct count: none was lost or applied twice.
    expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(await fresh().state<Counter>('k/race')).toEqual({ n: N });
    expect(writers.reduce((n, w) => n + w.stats.conflicts, 0)).toBeGreaterThan(0);
  });

  it('stores states as JSON text and still reads versions that hold the object (written before)', async () => {
    await conn.collection('send_ledger').insertOne({ _id: 'k/old#0' as never, k: 'k/old', v: 0, s: { n: 7 }, t: new Date() });
    expect(await fresh().state<Counter>('k/old')).toEqual({ n: 7 });
    expect(await fresh().transition('k/old', increment)).toBe(8);
    const written = await conn.collection('send_ledger').findOne({ _id: 'k/old#1' as never });
    expect(written?.s).toBe('{"n":8}');
    expect(await fresh().state<Counter>('k/old')).toEqual({ n: 8 });
  });
});
