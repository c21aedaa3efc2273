import { Inject, Injectable } from '@nestjs/common';
import {
  CapacityRule,
  ConfirmResult,
  Decision,
  DecisionRecord,
  PressureRule,
  QuietHoursRule,
  ReservationRef,
  Typology,
  TypologyMessage,
  TypologyUser,
  typologyMessageSchema,
  typologySchema,
  windowHours,
} from '../domain/typology';
import { DecisionsRepository } from '../persistence/decisions.repository';
import { SendLedgerRepository } from '../persistence/send-ledger.repository';
import { TypologiesRepository } from '../persistence/typologies.repository';
import { CapacityAllowance } from './capacity-allowance';
import { CapacityLedgerState, capacityKey, nextCapacityDay, releaseCapacity } from './capacity-ledger';
import { DecisionLog } from './decision-log';
import { afterQuietHours } from './quiet-hours';
import { evaluateQuietHours, evaluateStaticRules } from './static-rules';
import { TYPOLOGY_FACTS, TypologyFacts } from './typology-facts';
import {
  UserLedgerState,
  confirmInUserLedger,
  nextAllowedUnder,
  releaseInUserLedger,
  reserveInUserLedger,
} from './user-ledger';

const TYPOLOGY_TTL_MS = 10_000;

export class UnknownTypologyError extends Error {
  constructor(readonly typologyId: string) {
    super(`typology ${typologyId} does not exist`);
  }
}

export const userLedgerKey = (userId: string) => `user/${userId}`;

type Defer = Extract<Decision, { outcome: 'defer' }>;

const describePressure = (r: PressureRule) =>
  `pressure cap ${r.maxMessages} per ${r.window.amount} ${r.window.unit}${r.channel === 'all' ? '' : ` on ${r.channel}`} reached`;

/**
 * The one entry point journeys call: decide(message, user, now) evaluates every rule of the
 * message's typology and, when the answer is send, has already reserved the slot (pressure in the
 * user's ledger, capacity in each pool's daily ledger). Then confirm just before sending (from then
 * on no priority can take the slot) and release if the send finally fails. Every decision is
 * recorded in `decisions`.
 */
@Injectable()
export class TypologyDecider {
  private readonly log: DecisionLog;
  private readonly capacity: CapacityAllowance;
  /** Loads in flight are shared: when an entry expires, the callers asking at that moment wait on one read. */
  private readonly typologyCache = new Map<string, { typology: Promise<Typology>; at: number }>();

  constructor(
    @Inject(SendLedgerRepository) private readonly ledger: SendLedgerRepository,
    @Inject(DecisionsRepository) decisions: DecisionsRepository,
    @Inject(TypologiesRepository) private readonly typologies: TypologiesRepository,
    @Inject(TYPOLOGY_FACTS) private readonly facts: TypologyFacts,
  ) {
    this.log = new DecisionLog(decisions);
    this.capacity = new CapacityAllowance(ledger);
  }

  async decide(input: unknown, user: TypologyUser, now: number): Promise<Decision> {
    const message = typologyMessageSchema.parse(input);
    const typology = await this.typology(message.typologyId);
    const decision = await this.evaluate(typology, message, user, now);
    await this.record(message, user.id, decision, now);
    return decision;
  }

  /** Locks a reservation just before the send; a reservation a priority message took is deferred instead. */
  async confirm(reservation: ReservationRef, now: number): Promise<ConfirmResult> {
    const key = userLedgerKey(reservation.userId);
    const result = await this.ledger.transition(key, (s: UserLedgerState | undefined) => confirmInUserLedger(s, reservation.messageId, now));
    if (result.kind === 'confirmed') return { confirmed: true };
    await this.releaseCapacity(reservation);
    const typology = await this.typology(reservation.typologyId);
    const state = await this.ledger.state<UserLedgerState>(key);
    const decision = this.nextSlot(typology, reservation, state, now);
    const bumpedBy = result.kind === 'bumped' ? result.by : null;
    if (bumpedBy) decision.reason = `slot taken by higher-priority message ${bumpedBy}; ${decision.reason}`;
    await this.record({ id: reservation.messageId, typologyId: reservation.typologyId, channel: reservation.channel }, reservation.userId, decision, now);
    return { confirmed: false, bumpedBy, decision };
  }

  /** Frees the slot of a message whose send finally failed; safe to call more than once. */
  async release(reservation: ReservationRef, now: number, reason = 'send failed'): Promise<void> {
    await this.unreserve(reservation, now);
    await this.log.record({
      userId: reservation.userId,
      messageId: reservation.messageId,
      typologyId: reservation.typologyId,
      channel: reservation.channel,
      outcome: 'released',
      rule: null,
      ruleType: null,
      reason,
      until: null,
      at: now,
    });
  }

  private async evaluate(typology: Typology, message: TypologyMessage, user: TypologyUser, now: number): Promise<Decision> {
    // A refusal of the user's slot may stand on the head prefetched below, read after this moment.
    const asked = Date.now();
    const quiet = typology.rules.filter((r): r is QuietHoursRule => r.type === 'quiet_hours');
    // The user's ledger is read while the facts load, when the message may get as far as the caps.
    const mayReserve = !message.exempt && evaluateQuietHours(quiet, message, user, now) === null;
    const loads = [this.facts.load(typology, message, user), mayReserve ? this.ledger.prefetch(userLedgerKey(user.id)) : null] as const;
    // Both settle before the decision answers, a failure included: no read outlives the call.
    await Promise.allSettled(loads);
    const [facts] = await Promise.all(loads);
    const early = evaluateStaticRules(typology, message, user, facts, now);
    if (early) return early;
    if (message.exempt) return { outcome: 'send', reservation: null, reason: 'exempt (transactional): not counted or capped' };

    const pressure = typology.rules.filter((r): r is PressureRule => r.type === 'pressure');
    const capacity = typology.rules.filter((r): r is CapacityRule => r.type === 'capacity' && r.channel === message.channel);
    const afterQuiet = (t: number) => afterQuietHours(quiet, message.channel, user.timezone, t);
    const userKey = userLedgerKey(user.id);
    const request = { messageId: message.id, channel: message.channel, weight: message.weight, priority: message.priority, now, rules: pressure };
    const reservation: ReservationRef = {
      userId: user.id,
      messageId: message.id,
      typologyId: typology.id,
      channel: message.channel,
      weight: message.weight,
      capacityKeys: [],
      heldAt: now,
    };
    const repeated = (heldAt: number): Decision => {
      // A repeated decision (a retried activity) answers as the first did, which took its pool units
      // (on its own day) before its user slot.
      const ref = { ...reservation, heldAt, capacityKeys: capacity.map((r) => capacityKey(r, heldAt)) };
      return { outcome: 'send', reservation: ref, reason: 'already reserved (repeated decision)' };
    };
    // Pool units are taken before the user's slot, so a slot always has its units; a user the head
    // just read already refuses is answered without touching the shared pools.
    const known = this.ledger.peek<UserLedgerState>(userKey);
    const precheck = known === null ? null : reserveInUserLedger(known.state, request).result;
    if (precheck?.kind === 'already') return repeated(precheck.at);
    const poolsFirst = precheck?.kind !== 'capped';
    if (poolsFirst) {
      const refusal = await this.takeCapacity(capacity, reservation, now, afterQuiet);
      if (refusal) return refusal;
    }
    // Every counted send enters the user's ledger, rules or not: other typologies' caps count it too.
    const reserved = await this.ledger.transition(userKey, (s: UserLedgerState | undefined) => reserveInUserLedger(s, request), asked);
    if (reserved.kind !== 'reserved') this.capacity.giveBack(reservation.capacityKeys);
    if (reserved.kind === 'already') return repeated(reserved.at);
    if (reserved.kind === 'capped') {
      const { rule, nextAllowed } = reserved;
      if (rule.whenCapped === 'suppress' || nextAllowed === Infinity) {
        const reason = nextAllowed === Infinity ? `weight ${message.weight} exceeds the cap of ${rule.maxMessages}` : describePressure(rule);
        return { outcome: 'suppress', rule: rule.name, ruleType: 'pressure', reason };
      }
      return { outcome: 'defer', until: afterQuiet(nextAllowed), rule: rule.name, ruleType: 'pressure', reason: `${describePressure(rule)}; next slot` };
    }
    if (!poolsFirst) {
      // Room appeared between the check and the reservation (another change of this process).
      const refusal = await this.takeCapacity(capacity, reservation, now, afterQuiet);
      if (refusal) {
        await this.ledger.transition(userKey, (s: UserLedgerState | undefined) => releaseInUserLedger(s, message.id, now));
        return refusal;
      }
    }

    if (reserved.bumped) {
      const victim = reserved.bumped;
      await this.log.record({
        userId: user.id,
        messageId: victim.m,
        typologyId: typology.id,
        channel: victim.c,
        outcome: 'bumped',
        rule: pressure.find((r) => r.channel === 'all' || r.channel === victim.c)?.name ?? null,
        ruleType: 'pressure',
        reason: `slot taken by message ${message.id} (priority ${message.priority} over ${victim.p}); to be decided again`,
        until: null,
        at: now,
      });
    }
    const reason = reserved.bumped ? `reserved; took the slot of ${reserved.bumped.m}` : 'reserved';
    return { outcome: 'send', reservation, reason };
  }

  /** Where a message that lost its slot goes: the next moment every pressure rule has room. */
  private nextSlot(typology: Typology, reservation: ReservationRef, state: UserLedgerState | undefined, now: number): Defer {
    const entries = state?.entries ?? [];
    let until = now;
    let rule: PressureRule | undefined;
    for (const r of typology.rules) {
      if (r.type !== 'pressure' || (r.channel !== 'all' && r.channel !== reservation.channel)) continue;
      const t = nextAllowedUnder(r, entries, reservation.weight, now);
      if (t >= until && t !== Infinity) [until, rule] = [t, r];
    }
    const name = rule?.name ?? 'pressure';
    const why = rule ? `${describePressure(rule)} (${windowHours(rule.window)} h window)` : 'reservation no longer held';
    return { outcome: 'defer', until, rule: name, ruleType: 'pressure', reason: why };
  }

  /** Takes one unit in each capacity pool; when one is full, gives back the others and says why. */
  private async takeCapacity(rules: CapacityRule[], reservation: ReservationRef, now: number, afterQuiet: (t: number) => number): Promise<Decision | null> {
    for (const rule of rules) {
      const key = capacityKey(rule, now);
      if (await this.capacity.take(key, rule)) {
        reservation.capacityKeys.push(key);
        continue;
      }
      this.capacity.giveBack(reservation.capacityKeys);
      const reason = `capacity ${rule.maxPerDay} per day on ${rule.pool ?? rule.channel} reached`;
      if (rule.excess === 'drop') return { outcome: 'suppress', rule: rule.name, ruleType: 'capacity', reason };
      return { outcome: 'defer', until: afterQuiet(nextCapacityDay(rule, now)), rule: rule.name, ruleType: 'capacity', reason: `${reason}; next day` };
    }
    return null;
  }

  private async unreserve(reservation: ReservationRef, now: number): Promise<void> {
    await this.ledger.transition(userLedgerKey(reservation.userId), (s: UserLedgerState | undefined) => releaseInUserLedger(s, reservation.messageId, now));
    await this.releaseCapacity(reservation);
  }

  private async releaseCapacity(reservation: ReservationRef): Promise<void> {
    for (const key of reservation.capacityKeys) {
      // Once per hold, however often release is called (a message decided again later holds anew).
      if (await this.ledger.claimOnce(`release/${key}/${reservation.userId}/${reservation.messageId}/${reservation.heldAt}`)) {
        await this.ledger.transition(key, (s: CapacityLedgerState | undefined) => releaseCapacity(s));
      }
    }
  }

  private async record(message: Pick<TypologyMessage, 'id' | 'typologyId' | 'channel'>, userId: string, d: Decision, now: number): Promise<void> {
    const record: DecisionRecord = {
      userId,
      messageId: message.id,
      typologyId: message.typologyId,
      channel: message.channel,
      outcome: d.outcome,
      rule: d.outcome === 'send' ? null : d.rule,
      ruleType: d.outcome === 'send' ? null : d.ruleType,
      reason: d.reason,
      until: d.outcome === 'defer' ? d.until : null,
      at: now,
    };
    await this.log.record(record);
  }

  private typology(id: string): Promise<Typology> {
    const cached = this.typologyCache.get(id);
    if (cached && Date.now() - cached.at < TYPOLOGY_TTL_MS) return cached.typology;
    const typology = this.typologies.findById(id).then((stored) => {
      if (!stored) throw new UnknownTypologyError(id);
      // Parsed again: definitions stored before a rule gained a field get its default.
      return typologySchema.parse(stored);
    });
    this.typologyCache.set(id, { typology, at: Date.now() });
    // A failed read is not remembered: the next caller reads again.
    typology.catch(() => this.typologyCache.get(id)?.typology === typology && this.typologyCache.delete(id));
    return typology;
  }
}
