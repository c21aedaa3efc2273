/**
 * A separate OS process that decides a burst of messages against the database in MONGODB_URI,
 * spread over independent callers (one decider each, no shared memory).
 * Prints `ready` once connected, waits for a line on stdin (the parent releases every process at
 * once, so they race), then prints one JSON line: every decision and the ledger's write conflicts.
 *   node -r @swc-node/register test/typology/burst-caller.ts '<json BurstSpec>'
 */
import mongoose from 'mongoose';
import { Decision } from '../../libs/domain/typology';
import { standaloneTypology } from '../../libs/typology/standalone-decider';

export interface BurstSpec {
  typologyId: string;
  userId: string;
  messageIds: string[];
  callers: number;
  now: number;
}

export interface BurstResult {
  decisions: { messageId: string; decision: Decision }[];
  conflicts: number;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]) as BurstSpec;
  const conn = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
  const callers = Array.from({ length: spec.callers }, () => standaloneTypology(conn));
  const user = { id: spec.userId, addresses: { email: `${spec.userId}@example.test` } };
  // Warm up (typology cached, connection pool open) so the race starts when the parent says go.
  await Promise.all(callers.map((c) => c.typologies.findById(spec.typologyId)));
  process.stdout.write('ready\n');
  await new Promise((r) => process.stdin.once('data', r));
  const decisions = await Promise.all(
    spec.messageIds.map(async (messageId, i) => ({
      messageId,
      decision: await callers[i % callers.length].decider.decide({ id: messageId, typologyId: spec.typologyId, channel: 'email' }, user, spec.now),
    })),
  );
  await Promise.all(callers.map((c) => c.ledger.flush()));
  const result: BurstResult = { decisions, conflicts: callers.reduce((n, c) => n + c.ledger.stats.conflicts, 0) };
  process.stdout.write(JSON.stringify(result) + '\n');
  await conn.close();
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + '\n');
  process.exit(1);
});
