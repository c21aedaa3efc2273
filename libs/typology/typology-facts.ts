import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Typology, TypologyMessage, TypologyUser } from '../domain/typology';
import { PredictionsRepository } from '../persistence/predictions.repository';
import { ScoreSetDoc } from '../persistence/score-set.schema';
import { ScoreSetsRepository } from '../persistence/score-sets.repository';
import { SuppressedValue, SuppressionListsRepository } from '../persistence/suppression-lists.repository';
import type { UserFacts } from './static-rules';

/** Loads what a typology's filtering and fatigue rules need to know about one user. */
export interface TypologyFacts {
  load(typology: Typology, message: TypologyMessage, user: TypologyUser): Promise<UserFacts>;
}
export const TYPOLOGY_FACTS = Symbol('TYPOLOGY_FACTS');

/** Which of the given segments a user belongs to (the segments module provides it). */
export interface SegmentMembership {
  memberOf(userId: string, segmentIds: readonly string[]): Promise<ReadonlySet<string>>;
}
export const SEGMENT_MEMBERSHIP = Symbol('SEGMENT_MEMBERSHIP');

const ACTIVE_SET_TTL_MS = 30_000;
const NO_FACTS: UserFacts = { segments: new Set(), suppressionLists: new Set(), scores: new Map() };

/** Facts from the stored suppression lists, the active score sets of predictions, and segment membership. */
@Injectable()
export class StoredTypologyFacts implements TypologyFacts {
  /** Active score set per prediction, briefly remembered: one lookup per prediction, not per decision. */
  private readonly activeSets = new Map<string, { set: Promise<ScoreSetDoc | null>; at: number }>();

  constructor(
    @Inject(SuppressionListsRepository) private readonly suppressionLists: SuppressionListsRepository,
    @Inject(PredictionsRepository) private readonly predictions: PredictionsRepository,
    @Inject(ScoreSetsRepository) private readonly scoreSets: ScoreSetsRepository,
    @Optional() @Inject(SEGMENT_MEMBERSHIP) private readonly segments?: SegmentMembership,
  ) {}

  async load(typology: Typology, message: TypologyMessage, user: TypologyUser): Promise<UserFacts> {
    // Transactional messages skip every rule that needs facts (only the address check applies).
    if (message.exempt) return NO_FACTS;
    const lists = new Set<string>();
    const excluded = new Set<string>();
    const fatigue = new Set<string>();
    for (const r of typology.rules) {
      if (r.type === 'filtering') {
        r.suppressionLists.forEach((l) => lists.add(l));
        r.excludeSegments.forEach((s) => excluded.add(s));
      } else if (r.type === 'fatigue' && message.priority < r.bypassPriority) fatigue.add(r.predictionId);
    }
    const values: SuppressedValue[] = [{ userId: user.id }];
    const address = user.addresses?.[message.channel];
    if (address) values.push({ address });
    const [suppressionLists, segments, scores] = await Promise.all([
      lists.size ? this.suppressionLists.listsHolding([...lists], values) : new Set<string>(),
      excluded.size ? this.memberOf(user.id, [...excluded]) : new Set<string>(),
      Promise.all([...fatigue].map(async (p) => [p, await this.score(p, user.id)] as const)),
    ]);
    return { suppressionLists, segments, scores: new Map(scores.filter((s): s is readonly [string, number] => s[1] !== null)) };
  }

  private memberOf(userId: string, segmentIds: string[]): Promise<ReadonlySet<string>> {
    // Failing loudly beats sending to a segment the campaign manager excluded.
    if (!this.segments) throw new Error('typology: a filtering rule excludes segments but no segment membership is configured');
    return this.segments.memberOf(userId, segmentIds);
  }

  /** The user's score in the prediction's active score set; null for preview or unscored predictions. */
  private async score(predictionId: string, userId: string): Promise<number | null> {
    let active = this.activeSets.get(predictionId);
    if (!active || Date.now() - active.at > ACTIVE_SET_TTL_MS) {
      // One read shared by the callers that find the entry expired at once; a failed read is not kept.
      const set = this.predictions.findById(predictionId).then((p) => (p && p.status === 'active' && !p.archived ? this.scoreSets.active(predictionId) : null));
      active = { set, at: Date.now() };
      this.activeSets.set(predictionId, active);
      set.catch(() => this.activeSets.get(predictionId)?.set === set && this.activeSets.delete(predictionId));
    }
    const set = await active.set;
    if (!set) return null;
    return (await this.scoreSets.findScore(set, userId))?.score ?? null;
  }
}
