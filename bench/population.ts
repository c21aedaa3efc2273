import mongoose from 'mongoose';
import { RECORD_FORMAT } from '../libs/persistence/user-records/user-record';
import { seedPopulation } from '../scripts/population-seeder';

/** Days of simulated history a benchmark user has (about 12 events each). */
export const POPULATION_HISTORY_DAYS = 30;

/**
 * The simulated population bench:store and bench:rescore share, one database per size
 * (`bench_population_<users>`): seeding 1M users takes 10-20 minutes, so it is done once, by
 * whichever runs first, and reused while the record format stays the same.
 */
export function populationUri(baseUri: string, users: number): string {
  const uri = new URL(baseUri);
  uri.pathname = `/bench_population_${users}`;
  return uri.toString();
}

export async function preparePopulation(db: mongoose.Connection, users: number): Promise<{ now: number; events: number }> {
  const meta = await db.collection('bench_meta').findOne({ _id: 'population' as never });
  if (meta?.users === users && meta.format === RECORD_FORMAT) return { now: meta.now as number, events: meta.events as number };
  await db.dropDatabase();
  const t = Date.now();
  const seeded = await seedPopulation(db, {
    users,
    historyDays: POPULATION_HISTORY_DAYS,
    seed: 99,
    onProgress: (n) => n % 100_000 === 0 && process.stdout.write(`  ${n} users\r`),
  });
  await db.collection('bench_meta').insertOne({ _id: 'population' as never, users, format: RECORD_FORMAT, now: seeded.now, events: seeded.events });
  console.log(`seeded ${users} users, ${seeded.events} events in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  return seeded;
}
