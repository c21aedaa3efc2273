import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import mongoose from 'mongoose';
import { Decision, TypologyInput, TypologyUser, typologySchema } from '../../libs/domain/typology';
import { CapacityLedgerState } from '../../libs/typology/capacity-ledger';
import { StandaloneTypology, standaloneTypology } from '../../libs/typology/standalone-decider';
import { userLedgerKey } from '../../libs/typology/typology-decider';
import { UserLedgerState } from '../../libs/typology/user-ledger';
import { ROOT } from '../support/global-setup';
import { dropDb, openDb, testEnv } from '../support/test-env';
import type { BurstResult, BurstSpec } from './burst-caller';

const DAY = 86_400_000;
// A fixed clock: ledgers are keyed by it (capacity days), and nothing below waits on it.
const NOW = Date.UTC(2030, 0, 15, 12);

const TYPOLOGIES: TypologyInput[] = [
  { id: 'weekly', name: 'Three a week, deferred', rules: [{ type: 'pressure', name: 'weekly', maxMessages: 3, window: { amount: 7, unit: 'days' }, whenCapped: 'defer' }] },
  { id: 'weekly-drop', name: 'Three a week, dropped', rules: [{ type: 'pressure', name: 'weekly', maxMessages: 3, window: { amount: 7, unit: 'days' } }] },
  { id: 'provider', name: 'Provider limit', rules: [{ type: 'capacity', name: 'provider', channel: 'email', maxPerDay: 100 }] },
];

const user = (id: string): TypologyUser => ({ id, addresses: { email: `${id}@example.test` } });
const email = (id: string, typologyId: string, over: Record<string, unknown> = {}) => ({ id, typologyId, channel: 'email', ...over });
const sent = (ds: Decision[]) => ds.filter((d) => d.outcome === 'send');

describe('typology reservations on FerretDB (unique-insert ledgers)', () => {
  const { cfg, env } = testEnv('typology-reservations');
  let conn: mongoose.Connection;
  /** Independent callers: each its own decider, ledger memory and write queue, as separate workers would be. */
  let callers: (n: number) => StandaloneTypology[];
  let inspector: StandaloneTypology;

  beforeAll(async () => {
    conn = await openDb(cfg);
    callers = (n) => Array.from({ length: n }, () => standaloneTypology(conn));
    inspector = standaloneTypology(conn);
    for (const t of TYPOLOGIES) await inspector.typologies.create(typologySchema.parse(t));
  });

  afterAll(async () => {
    await dropDb(conn);
  });

  it('50 concurrent sends to one user from different callers: exactly 3 go, the rest are deferred by the rule', async () => {
    const cs = callers(50);
    const decisions = await Promise.all(cs.map((c, i) => c.decider.decide(email(`m50-${i}`, 'weekly'), user('u-fifty'), NOW)));
    await Promise.all(cs.map((c) => c.ledger.flush()));

    expect(sent(decisions)).toHaveLength(3);
    for (const d of decisions.filter((d) => d.outcome !== 'send')) {
      expect(d).toMatchObject({ outcome: 'defer', rule: 'weekly', ruleType: 'pressure', until: NOW + 7 * DAY });
    }
    // The race really happened: callers lost inserts to each other and re-read.
    expect(cs.reduce((n, c) => n + c.ledger.stats.conflicts, 0)).toBeGreaterThan(0);
    const state = await inspector.ledger.state<UserLedgerState>(userLedgerKey('u-fifty'));
    const held = sent(decisions).map((d) => (d.outcome === 'send' ? d.reservation!.messageId : ''));
    expect(state!.entries.map((e) => e.m).sort()).toEqual(held.sort());
    // Every decision is on record with its rule.
    const log = await inspector.decisions.forUser('u-fifty');
    expect(log).toHaveLength(50);
    expect(log.filter((r) => r.outcome === 'send')).toHaveLength(3);
    expect(log.filter((r) => r.outcome === 'defer' && r.rule === 'weekly')).toHaveLength(47);
  });

  it('the same across two OS processes: exactly 3 go, the rest are suppressed by the rule', async () => {
    const spec = (p: number): BurstSpec => ({
      typologyId: 'weekly-drop',
      userId: 'u-procs',
      messageIds: Array.from({ length: 25 }, (_, i) => `proc${p}-${i}`),
      callers: 5,
      now: NOW,
    });
    const children = [0, 1].map((p) => runBurst(spec(p), env));
    await Promise.all(children.map((c) => c.ready));
    children.forEach((c) => c.go());
    const results = await Promise.all(children.map((c) => c.result));

    const decisions = results.flatMap((r) => r.decisions.map((d) => d.decision));
    expect(decisions).toHaveLength(50);
    expect(sent(decisions)).toHaveLength(3);
    for (const d of decisions.filter((d) => d.outcome !== 'send')) expect(d).toMatchObject({ outcome: 'suppress', rule: 'weekly', ruleType: 'pressure' });
    const state = await inspector.ledger.state<UserLedgerState>(userLedgerKey('u-procs'));
    expect(state!.entries).toHaveLength(3);
    expect((await inspector.decisions.forUser('u-procs')).filter((r) => r.outcome === 'send')).toHaveLength(3);
  });

  it('a capacity of 100 a day holds across 1,000 users; the excess waits for the next day', async () => {
    const cs = callers(20);
    const decisions = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => cs[i % cs.length].decider.decide(email(`cap-${i}`, 'provider'), user(`cap-user-${i}`), NOW)),
    );
    expect(sent(decisions)).toHaveLength(100);
    const nextDay = Date.UTC(2030, 0, 16);
    for (const d of decisions.filter((d) => d.outcome !== 'send')) expect(d).toMatchObject({ outcome: 'defer', rule: 'provider', ruleType: 'capacity', until: nextDay });
    expect(await inspector.ledger.state<CapacityLedgerState>('cap/email/2030-01-15')).toEqual({ used: 100 });
    // Next day, room again.
    const tomorrow = await cs[0].decider.decide(email('cap-next', 'provider'), user('cap-user-0'), nextDay);
    expect(tomorrow.outcome).toBe('send');
  });

  it('a released reservation frees its slot, in the user ledger and in the capacity pool', async () => {
    const [c] = callers(1);
    const first = await Promise.all([1, 2, 3].map((i) => c.decider.decide(email(`rel-${i}`, 'weekly'), user('u-release'), NOW + i)));
    expect(first.map((d) => d.outcome)).toEqual(['send', 'send', 'send']);
    expect((await c.decider.decide(email('rel-4', 'weekly'), user('u-release'), NOW + 10)).outcome).toBe('defer');

    const second = first[1];
    if (second.outcome !== 'send' || !second.reservation) throw new Error('expected a reservation');
    expect(await c.decider.confirm(second.reservation, NOW + 20)).toEqual({ confirmed: true });
    await c.decider.release(second.reservation, NOW + 30, 'smtp 550');
    await c.decider.release(second.reservation, NOW + 31, 'retried release'); // idempotent
    expect((await c.decider.decide(email('rel-5', 'weekly'), user('u-release'), NOW + 40)).outcome).toBe('send');
    expect((await c.decider.decide(email('rel-6', 'weekly'), user('u-release'), NOW + 50)).outcome).toBe('defer');

    // Capacity: a pool of one, released after a failed send, admits the next user.
    await c.typologies.create(typologySchema.parse({ id: 'tiny', name: 'One a day', rules: [{ type: 'capacity', name: 'one', channel: 'email', maxPerDay: 1, excess: 'drop', pool: 'tiny' }] }));
    const a = await c.decider.decide(email('tiny-a', 'tiny'), user('tiny-1'), NOW);
    expect((await c.decider.decide(email('tiny-b', 'tiny'), user('tiny-2'), NOW)).outcome).toBe('suppress');
    if (a.outcome !== 'send' || !a.reservation) throw new Error('expected a reservation');
    await c.decider.release(a.reservation, NOW);
    await c.decider.release(a.reservation, NOW);
    expect(await c.ledger.state<CapacityLedgerState>('cap/tiny/2030-01-15')).toEqual({ used: 0 });
    expect((await c.decider.decide(email('tiny-c', 'tiny'), user('tiny-3'), NOW)).outcome).toBe('send');
    expect((await c.decider.decide(email('tiny-d', 'tiny'), user('tiny-4'), NOW)).outcome).toBe('suppress');
    // A message decided again later holds anew, and that hold is released too.
    const c1 = await c.decider.decide(email('tiny-c', 'tiny'), user('tiny-3'), NOW);
    if (c1.outcome !== 'send' || !c1.reservation) throw new Error('expected a reservation');
    await c.decider.release(c1.reservation, NOW + 1);
    const c2 = await c.decider.decide(email('tiny-c', 'tiny'), user('tiny-3'), NOW + 2);
    if (c2.outcome !== 'send' || !c2.reservation) throw new Error('expected a second reservation');
    await c.decider.release(c2.reservation, NOW + 3);
    expect(await c.ledger.state<CapacityLedgerState>('cap/tiny/2030-01-15')).toEqual({ used: 0 });
    expect((await c.decisions.forMessage('rel-2')).map((r) => r.outcome)).toEqual(['send', 'released', 'released']);
  });

  it('exempt messages pass a full cap and are not counted; a repeated decision reserves once', async () => {
    const [c] = callers(1);
    for (let i = 0; i < 3; i++) await c.decider.decide(email(`ex-${i}`, 'weekly'), user('u-exempt'), NOW);
    expect((await c.decider.decide(email('ex-4', 'weekly'), user('u-exempt'), NOW)).outcome).toBe('defer');
    const receipt = await c.decider.decide(email('receipt', 'weekly', { exempt: true }), user('u-exempt'), NOW);
    expect(receipt).toEqual({ outcome: 'send', reservation: null, reason: 'exempt (transactional): not counted or capped' });
    expect((await c.ledger.state<UserLedgerState>(userLedgerKey('u-exempt')))!.entries).toHaveLength(3);
    // A repeated decision (a retried activity) gets the same answer and reserves nothing more.
    expect(await c.decider.decide(email('ex-0', 'weekly'), user('u-exempt'), NOW)).toMatchObject({ outcome: 'send', reason: 'already reserved (repeated decision)' });
    expect((await c.ledger.state<UserLedgerState>(userLedgerKey('u-exempt')))!.entries).toHaveLength(3);
  });

  it('a priority message wins the last slot from a lower one not yet confirmed, which is deferred', async () => {
    const [c, other] = callers(2);
    const u = user('u-prio');
    for (const id of ['p-1', 'p-2']) {
      const d = await c.decider.decide(email(id, 'weekly'), u, NOW);
      if (d.outcome !== 'send' || !d.reservation) throw new Error('expected a reservation');
      await c.decider.confirm(d.reservation, NOW);
    }
    const low = await c.decider.decide(email('p-low', 'weekly', { priority: 1 }), u, NOW + 1);
    expect(low.outcome).toBe('send');
    const high = await other.decider.decide(email('p-high', 'weekly', { priority: 9 }), u, NOW + 2);
    expect(high).toMatchObject({ outcome: 'send', reason: 'reserved; took the slot of p-low' });
    if (low.outcome !== 'send' || !low.reservation || high.outcome !== 'send' || !high.reservation) throw new Error('expected reservations');
    expect(await other.decider.confirm(high.reservation, NOW + 3)).toEqual({ confirmed: true });
    const lost = await c.decider.confirm(low.reservation, NOW + 3);
    expect(lost).toMatchObject({ confirmed: false, bumpedBy: 'p-high', decision: { outcome: 'defer', rule: 'weekly', until: NOW + 7 * DAY } });
    expect((await c.decisions.forMessage('p-low')).map((r) => r.outcome)).toEqual(['send', 'bumped', 'defer']);

    // Racing for the last slot from two callers, in whichever order they land, the priority one holds it.
    for (let round = 0; round < 4; round++) {
      const ru = user(`u-race-${round}`);
      for (const id of ['a', 'b']) await c.decider.decide(email(`${round}-${id}`, 'weekly-drop'), ru, NOW);
      const [lo, hi] = await Promise.all([
        c.decider.decide(email(`${round}-lo`, 'weekly-drop', { priority: 0 }), ru, NOW + 1),
        other.decider.decide(email(`${round}-hi`, 'weekly-drop', { priority: 5 }), ru, NOW + 1),
      ]);
      expect(hi.outcome).toBe('send');
      if (hi.outcome === 'send') expect(await other.decider.confirm(hi.reservation!, NOW + 2)).toEqual({ confirmed: true });
      const loHolds = lo.outcome === 'send' && (await c.decider.confirm(lo.reservation!, NOW + 2)).confirmed;
      // a and b are unconfirmed priority 0 too: the priority message may have taken one of theirs instead.
      const entries = (await c.ledger.state<UserLedgerState>(userLedgerKey(ru.id)))!.entries.map((e) => e.m);
      expect(entries).toHaveLength(3);
      expect(entries).toContain(`${round}-hi`);
      expect(entries.includes(`${round}-lo`)).toBe(loHolds);
    }
  });
});

interface BurstChild {
  ready: Promise<void>;
  go: () => void;
  result: Promise<BurstResult>;
}

function runBurst(spec: BurstSpec, env: Record<string, string>): BurstChild {
  const child: ChildProcess = spawn(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, 'test', 'typology', 'burst-caller.ts'), JSON.stringify(spec)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.startsWith('ready\n')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`burst caller exited (${code}) before ready:\n${err}`)));
  });
  const result = new Promise<BurstResult>((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.slice('ready\n'.length))) : reject(new Error(`burst caller exited (${code}):\n${err}`))));
  });
  ready.catch(() => undefined);
  return { ready, go: () => child.stdin!.end('go\n'), result };
}
