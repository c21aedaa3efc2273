/**
 * bench:store-backends — the embedded store's two candidates, as `scripts/infra.sh` builds and starts
 * them: FerretDB (with scripts/ferretdb-v1.24.2.patch) on SQLite and on the embedded PostgreSQL. Each
 * runs in turn on side ports with a data dir of its own (never the shared servers), holds one
 * collection of 1M small event-like documents (loaded once, reused by later runs) with an index on
 * `userId` (about 12 documents per value), and is measured with 16 concurrent callers:
 *   p50/p99 of a lookup by `_id`, of `find({userId})`, of inserting one small document; docs/s of a
 *   whole-collection streamed read by 1 reader and by 2 readers at once (each reads everything), and of a
 *   bulk insert (insertMany of 1,000, one writer); plus the query plan of the two lookups (EXPLAIN).
 * An operation whose first call takes over a second is measured on 3 calls of one caller instead.
 * Usage: node -r @swc-node/register bench/store-backends.bench.ts [--docs=N] [--only=sqlite|postgresql]
 * Data: $PROPENSITY_DATA_DIR_LOCAL (or .data)/bench-store-<backend>; ports 27117/27118 and 15448.
 */
import { execFileSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import mongoose from 'mongoose';

type Db = mongoose.mongo.Db;
type Backend = 'sqlite' | 'postgresql';

const ROOT = path.resolve(__dirname, __dirname.split(path.sep).includes('dist') ? '../..' : '..');
const DATA = process.env.PROPENSITY_DATA_DIR_LOCAL ?? path.join(ROOT, '.data');
const PORTS: Record<Backend, number> = { sqlite: 27117, postgresql: 27118 };
const POSTGRES_PORT = 15448;
const CALLERS = 16;
const DOCS_PER_USER = 12;
const EVENT_TYPES = ['view', 'click', 'purchase', 'open', 'unsubscribe'];

function infra(backend: Backend, command: 'up' | 'down'): void {
  execFileSync('bash', [path.join(ROOT, 'scripts', 'infra.sh'), command, 'ferretdb'], {
    stdio: 'inherit',
    env: {
      ...process.env,
      FERRETDB_BACKEND: backend,
      FERRETDB_PORT: String(PORTS[backend]),
      POSTGRES_PORT: String(POSTGRES_PORT),
      PROPENSITY_DATA_DIR_LOCAL: path.join(DATA, `bench-store-${backend}`),
      MONGODB_URI: `mongodb://127.0.0.1:${PORTS[backend]}/bench_store`,
      FERRETDB_POSTGRESQL_URL: '',
    },
  });
}

const docId = (i: number) => `d${String(i).padStart(8, '0')}`;
const userOf = (i: number) => `u${String(i % userCount).padStart(7, '0')}`;
let userCount = 0;

interface EventDoc { _id: string; userId: string; type: string; ts: Date; value: number; props: object; scratch?: string }

function event(i: number, extra: Partial<EventDoc> = {}): EventDoc {
  return {
    _id: docId(i),
    userId: userOf(i),
    type: EVENT_TYPES[i % EVENT_TYPES.length],
    ts: new Date(1_780_000_000_000 + i * 1000),
    value: (i % 977) / 10,
    props: { sku: `sku${i % 5000}`, channel: i % 3 ? 'web' : 'app' },
    ...extra,
  };
}

/** Loads the collection once (a run interrupted while loading starts over). */
async function prepare(db: Db, docs: number): Promise<string> {
  const meta = await db.collection('bench_meta').findOne({ _id: 'docs' as never });
  if (meta?.docs === docs) return `reused ${docs} docs`;
  await db.dropDatabase();
  const coll = db.collection<EventDoc>('docs');
  await coll.createIndex({ userId: 1 });
  const t = Date.now();
  for (let i = 0; i < docs; i += 2000) {
    // two insertMany of 1,000 at a time
    await Promise.all([i, i + 1000].filter((s) => s < docs).map((s) =>
      coll.insertMany(Array.from({ length: Math.min(1000, docs - s) }, (_, k) => event(s + k)), { ordered: false })));
  }
  const seconds = (Date.now() - t) / 1000;
  await db.collection('bench_meta').insertOne({ _id: 'docs' as never, docs });
  return `loaded ${docs} docs in ${seconds.toFixed(0)} s (${(docs / seconds).toFixed(0)} docs/s, 2 writers)`;
}

interface Latency { p50: number; p99: number; calls: number; callers: number }

/** Runs `op` from 16 callers, `perCaller` calls each, and returns latency percentiles in ms. */
async function latency(op: (n: number) => Promise<unknown>, perCaller: number): Promise<Latency> {
  const probe = process.hrtime.bigint();
  await op(-1);
  const slow = Number(process.hrtime.bigint() - probe) / 1e6 > 1000;
  const callers = slow ? 1 : CALLERS;
  const calls = slow ? 3 : perCaller;
  const ms: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: callers }, async () => {
    for (let k = 0; k < calls; k++) {
      const t = process.hrtime.bigint();
      await op(next++);
      ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }));
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))];
  return { p50: at(0.5), p99: at(0.99), calls: ms.length, callers };
}

async function streamed(db: Db, readers: number): Promise<number> {
  const t = Date.now();
  const counts = await Promise.all(Array.from({ length: readers }, async () => {
    let n = 0;
    for await (const _ of db.collection<EventDoc>('docs').find({}, { batchSize: 1000 })) n++;
    return n;
  }));
  return counts.reduce((a, b) => a + b, 0) / ((Date.now() - t) / 1000);
}

async function bulkInsert(db: Db, docs: number): Promise<number> {
  const coll = db.collection<EventDoc>('bulk_scratch');
  await coll.drop().catch(() => undefined);
  const t = Date.now();
  for (let i = 0; i < docs; i += 1000) {
    await coll.insertMany(Array.from({ length: 1000 }, (_, k) => event(i + k)), { ordered: false });
  }
  const rate = docs / ((Date.now() - t) / 1000);
  await coll.drop();
  return rate;
}

/** A one-line summary of the query plan FerretDB reports for a find. */
async function plan(db: Db, filter: object): Promise<string> {
  const res = await db.command({ explain: { find: 'docs', filter } });
  const p = res.queryPlanner?.Plan;
  if (Array.isArray(p)) return p.map((line: string) => line.replace(/^.*detail=/, '')).join('; '); // SQLite
  const node = (n: Record<string, unknown>): string =>
    `${n['Node Type']}${n['Index Name'] ? ` on ${n['Index Name']}` : ''}${n['Index Cond'] ?? n['Recheck Cond'] ?? n.Filter ? ` (${n['Index Cond'] ?? n['Recheck Cond'] ?? n.Filter})` : ''}`;
  const walk = (n: Record<string, unknown>): string[] => [node(n), ...((n.Plans as Record<string, unknown>[]) ?? []).flatMap(walk)];
  return walk(p).join(' <- ');
}

interface Run { backend: Backend; conn: mongoose.Connection; db: Db }

async function start(backend: Backend, docs: number): Promise<Run> {
  infra(backend, 'up');
  const conn = await mongoose.createConnection(`mongodb://127.0.0.1:${PORTS[backend]}/bench_store`, { maxPoolSize: CALLERS + 4 }).asPromise();
  const db = conn.db as unknown as Db;
  console.log(`[${backend}] ${await prepare(db, docs)}`);
  console.log(`[${backend}] plan of find({_id}):    ${await plan(db, { _id: docId(1) })}`);
  console.log(`[${backend}] plan of find({userId}): ${await plan(db, { userId: userOf(1) })}`);
  return { backend, conn, db };
}

const fmt = (l: Latency) => `${l.p50.toFixed(1)} / ${l.p99.toFixed(1)}${l.callers === 1 ? ` (${l.calls} calls, 1 caller)` : ''}`;

/** The measurements, each run on every backend before the next one starts (the machine is shared:
 *  interleaving spreads a change of background load over both backends instead of one). */
function scenarios(docs: number): [string, (db: Db) => Promise<string>][] {
  const rnd = () => Math.floor(Math.random() * docs);
  const tag = Date.now().toString(36);
  return [
    ['_id lookup p50/p99 ms', async (db) => fmt(await latency(() => db.collection<EventDoc>('docs').findOne({ _id: docId(rnd()) }), 250))],
    [`find({userId}) (~${DOCS_PER_USER} docs) p50/p99 ms`, async (db) =>
      fmt(await latency(() => db.collection<EventDoc>('docs').find({ userId: userOf(rnd()) }).toArray(), 100))],
    ['insertOne p50/p99 ms', async (db) => {
      const coll = db.collection<EventDoc>('docs');
      const res = await latency((n) => coll.insertOne(event(rnd(), { _id: `x${tag}-${n}`, scratch: tag })), 200);
      await coll.deleteMany({ scratch: tag });
      return fmt(res);
    }],
    ['streamed read docs/s (1 reader)', async (db) => (await streamed(db, 1)).toFixed(0)],
    ['streamed read docs/s (2 readers)', async (db) => (await streamed(db, 2)).toFixed(0)],
    ['bulk insert docs/s (1 writer)', async (db) => (await bulkInsert(db, 100_000)).toFixed(0)],
  ];
}

async function main() {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const docs = Number(arg('docs') ?? 1_000_000);
  userCount = Math.ceil(docs / DOCS_PER_USER);
  const only = arg('only');
  const backends = (['sqlite', 'postgresql'] as Backend[]).filter((b) => !only || b === only);
  const runs: Run[] = [];
  try {
    for (const backend of backends) runs.push(await start(backend, docs));
    const rows: Record<string, Record<string, string>> = {};
    const load: string[] = [os.loadavg()[0].toFixed(1)];
    for (const [name, measure] of scenarios(docs)) {
      rows[name] = {};
      for (const run of runs) {
        rows[name][run.backend] = await measure(run.db);
        console.log(`[${run.backend}] ${name}: ${rows[name][run.backend]}`);
      }
      load.push(os.loadavg()[0].toFixed(1));
    }
    console.log(`\n${docs} documents, ${CALLERS} concurrent callers; 1-minute load average of the machine after each row: ${load.join(', ')}`);
    console.table(rows);
  } finally {
    for (const run of runs) {
      await run.conn.close();
      infra(run.backend, 'down');
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
