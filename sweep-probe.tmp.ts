import mongoose from 'mongoose';
import { standaloneTypology } from './libs/typology/standalone-decider';
(async () => {
  const conn = await mongoose.createConnection('mongodb://127.0.0.1:27017/t_typology_sweep_probe').asPromise();
  await conn.dropDatabase();
  const t = standaloneTypology(conn);
  for (let i = 0; i < 300; i++) await t.ledger.transition(`k${i % 30}`, (s: { n: number } | undefined) => ({ state: { n: (s?.n ?? 0) + 1 }, result: null }));
  t.ledger.configure({ tombstoneAgeMs: 0 });
  console.log(await t.ledger.sweep());
  await conn.dropDatabase(); await conn.close();
})();
