import mongoose from 'mongoose';
import { UserTimeline } from '../../libs/domain/user-timeline';
import { USER_RECORD_MODEL, userRecordSchema } from '../../libs/persistence/user-records/user-record.schema';
import { UserRecordsRepository } from '../../libs/persistence/user-records/user-records.repository';
import { dropDb, openDb, testEnv } from '../support/test-env';

/** Every user of a pass, in the order it yields them, with their event count. */
async function drain(pass: AsyncGenerator<UserTimeline[]>, afterEach?: (batch: number) => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  let batch = 0;
  for await (const users of pass) {
    for (const u of users) seen.push(`${u.userId}:${u.events.length}`);
    await afterEach?.(batch++);
  }
  return seen;
}

describe('Population passes on the real store: passes under way at once share their reads', () => {
  const { cfg } = testEnv('population-passes');
  let conn: mongoose.Connection;
  let repo: UserRecordsRepository;
  const finds: object[] = [];
  const USERS = 2400;
  // Partitions of 1,000 users: the population is read by slot group (64 reads a pass).
  const PARTITION_USERS = 1000;

  beforeAll(async () => {
    conn = await openDb(cfg);
    const model = conn.model(USER_RECORD_MODEL, userRecordSchema);
    const collection = model.collection;
    // Counts the reads the passes make; the commands still go to the store.
    const find = collection.find.bind(collection);
    Object.defineProperty(collection, 'find', { value: (filter: object, ...rest: unknown[]) => (finds.push(filter), (find as (...a: unknown[]) => unknown)(filter, ...rest)) });
    repo = new UserRecordsRepository(model);
    const t = Date.UTC(2030, 0, 1);
    await repo.appendEvents(
      Array.from({ length: USERS * 2 }, (_, i) => ({ eventId: `e${i}`, userId: `u${i % USERS}`, type: 'purchase', ts: new Date(t + i * 60_000), amount: 10 })),
    );
  });

  afterAll(async () => {
    await dropDb(conn);
  });

  it('two passes started together read each slot group once and yield what a pass alone yields', async () => {
    finds.length = 0;
    const alone = await drain(repo.population(PARTITION_USERS));
    const readsAlone = finds.length;
    expect(alone).toHaveLength(USERS);
    expect(new Set(alone).size).toBe(USERS);
    expect(readsAlone).toBe(64);

    finds.length = 0;
    const [a, b] = await Promise.all([drain(repo.population(PARTITION_USERS)), drain(repo.population(PARTITION_USERS))]);
    expect(a).toEqual(alone);
    expect(b).toEqual(alone);
    expect(finds.length).toBe(readsAlone);
  });

  it('a pass that starts while another is half way reads the groups it missed and shares the rest; nothing is kept after', async () => {
    finds.length = 0;
    let late: Promise<string[]> | null = null;
    let lateBatches = 0;
    const first = await drain(repo.population(PARTITION_USERS), async (batch) => {
      if (batch !== 31) return;
      late = drain(repo.population(PARTITION_USERS), async () => void lateBatches++);
      // The early pass waits here until the late one has caught up (as passes sharing one process's CPU keep pace).
      while (lateBatches < 32) await new Promise((r) => setTimeout(r, 5));
    });
    const second = await late!;
    expect(second).toEqual(first);
    expect(first).toHaveLength(USERS);
    // The early pass read all 64 groups, the late one only the 31 the early one had gone past when it
    // started (group 31 was still held); from there on each group was read once for both.
    expect(finds.length).toBe(64 + 31);

    // With no pass under way nothing is kept: a user written now is in the next pass.
    await repo.appendEvents([{ eventId: 'late-event', userId: 'u-new', type: 'purchase', ts: new Date(Date.UTC(2030, 0, 2)), amount: 5 }]);
    expect(await drain(repo.population(PARTITION_USERS))).toContain('u-new:1');
  });
});
