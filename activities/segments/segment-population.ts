import { Inject, Injectable } from '@nestjs/common';
import { SegmentDefinition } from '../../libs/domain/segment-definition';
import { SegmentSubject, SubjectScore } from '../../libs/domain/segment-subject';
import { SegmentEvaluationContext, SegmentMembershipSource } from '../../libs/domain/segment-workflows';
import { SlotPartition, slotGroup, userSlot } from '../../libs/domain/user-slots';
import { UserTimeline } from '../../libs/domain/user-timeline';
import { ControlGroupSettingsRepository } from '../../libs/persistence/control-group-settings.repository';
import { ScoreDoc } from '../../libs/persistence/score-set.schema';
import { ScoreSetsRepository } from '../../libs/persistence/score-sets.repository';
import { emptyHead, SegmentHeadsRepository } from '../../libs/persistence/segment-heads.repository';
import { SegmentMemberBucketsRepository } from '../../libs/persistence/segment-member-buckets.repository';
import { UserRecordsRepository } from '../../libs/persistence/user-records/user-records.repository';
import { buildSubject, currentControlGroup, dependencies, percentileFromCutPoints } from '../../libs/segments';
import { groupsOf, onlyScoredUsersMatch } from '../../libs/segments/segment-evaluation';

/** One slot group's users as segment conditions see them. */
export interface GroupSubjects {
  group: number;
  subjects: SegmentSubject[];
}

/**
 * Loads what segment conditions read, for the evaluation activities and the API's preview: resolves a
 * definition's sources once (active score sets, other segments' versions, the control group), then
 * yields a partition's users slot group by slot group, reading each score set once per group (or once
 * per partition when the population is small) and the user records only when the definition needs them.
 */
@Injectable()
export class SegmentPopulation {
  constructor(
    @Inject(UserRecordsRepository) private readonly users: UserRecordsRepository,
    @Inject(ScoreSetsRepository) private readonly scoreSets: ScoreSetsRepository,
    @Inject(SegmentHeadsRepository) private readonly heads: SegmentHeadsRepository,
    @Inject(SegmentMemberBucketsRepository) private readonly buckets: SegmentMemberBucketsRepository,
    @Inject(ControlGroupSettingsRepository) private readonly controlGroup: ControlGroupSettingsRepository,
  ) {}

  async context(segmentId: string, definitionRevision: number, definition: SegmentDefinition, now: number): Promise<SegmentEvaluationContext> {
    const d = dependencies(definition);
    const scoreSets = [];
    for (const { predictionId } of d.predictions) {
      const set = await this.scoreSets.active(predictionId);
      // No complete set yet: nobody has a score, so score conditions match nobody (negated ones everybody).
      if (set) scoreSets.push({ predictionId, key: set.key, collectionName: set.collectionName, users: set.users ?? 0, percentiles: set.percentiles });
    }
    const memberships: SegmentMembershipSource[] = [];
    for (const id of d.segments) {
      const head = (await this.heads.get(id)) ?? emptyHead();
      memberships.push({ segmentId: id, version: head.version, groups: head.groups });
    }
    return {
      segmentId,
      definitionRevision,
      now,
      scoreSets,
      memberships,
      controlGroup: currentControlGroup(await this.controlGroup.current()),
      population: onlyScoredUsersMatch(definition) ? 'scores' : 'records',
      windowsDays: d.eventWindowsDays,
    };
  }

  /** A partition's users, group by group (groups ascending; users ascending within a group). */
  async *subjects(ctx: SegmentEvaluationContext, partition: SlotPartition, onRead?: () => void): AsyncGenerator<GroupSubjects> {
    const groups = groupsOf(partition);
    // A small population is read whole, once per score set; otherwise one equality read per group.
    const wholeScores = partition.read === 'whole' ? await this.allScores(ctx) : null;
    const scoresOf = async (g: number) => wholeScores?.get(g) ?? (wholeScores ? [] : await Promise.all(ctx.scoreSets.map((s) => this.scoreSets.scoresOf(s, { g }))));
    const timelines = ctx.population === 'records' ? this.timelinesByGroup(partition) : null;
    for (const g of groups) {
      const scoreDocs = await scoresOf(g);
      onRead?.();
      let users: UserTimeline[] | null = null;
      if (timelines) {
        const next = await timelines.next();
        users = next.done ? [] : next.value.users;
        if (!next.done && next.value.group !== g) throw new Error(`segment population: expected group ${g}, read ${next.value.group}`);
      }
      yield { group: g, subjects: await this.groupSubjects(ctx, g, scoreDocs, users) };
    }
  }

  private async groupSubjects(ctx: SegmentEvaluationContext, g: number, scoreDocs: ScoreDoc[][], users: UserTimeline[] | null): Promise<SegmentSubject[]> {
    const scores = new Map<string, Record<string, SubjectScore>>();
    ctx.scoreSets.forEach((set, k) => {
      for (const s of scoreDocs[k] ?? []) {
        const own = scores.get(s._id) ?? {};
        own[set.predictionId] = {
          score: s.score,
          probability: s.probability,
          category: s.category,
          percentile: set.percentiles ? percentileFromCutPoints(set.percentiles, s.probability) : undefined,
        };
        scores.set(s._id, own);
      }
    });
    const memberOf = await Promise.all(ctx.memberships.map(async (m) => new Set(await this.buckets.members(m.segmentId, m.groups[g], g))));
    const segmentsOf = (userId: string) => ctx.memberships.filter((_, k) => memberOf[k].has(userId)).map((m) => m.segmentId);
    const ids = users ? users.map((u) => u.userId) : [...scores.keys()].sort();
    const byId = users ? new Map(users.map((u) => [u.userId, u])) : null;
    return ids.map((userId) => {
      const u = byId?.get(userId);
      return buildSubject({
        userId,
        now: ctx.now,
        profile: u ? { attributes: u.attributes, subscription: u.subscription, timezone: u.timezone } : undefined,
        events: u?.events,
        windowsDays: ctx.windowsDays,
        scores: scores.get(userId) ?? {},
        segments: segmentsOf(userId),
        controlGroup: ctx.controlGroup,
      });
    });
  }

  private async allScores(ctx: SegmentEvaluationContext): Promise<Map<number, ScoreDoc[][]>> {
    const byGroup = new Map<number, ScoreDoc[][]>();
    for (let k = 0; k < ctx.scoreSets.length; k++) {
      for await (const s of this.scoreSets.streamScores(ctx.scoreSets[k])) {
        const lists = byGroup.get(s.g) ?? ctx.scoreSets.map(() => []);
        lists[k].push(s);
        byGroup.set(s.g, lists);
      }
    }
    return byGroup;
  }

  /** The partition's user records merged per user, handed out one slot group at a time, every group of the partition in order. */
  private async *timelinesByGroup(partition: SlotPartition): AsyncGenerator<{ group: number; users: UserTimeline[] }> {
    const pending = new Map<number, UserTimeline[]>();
    let nextGroup = groupsOf(partition)[0];
    const lastGroup = groupsOf(partition).at(-1)!;
    for await (const batch of this.users.scan(partition)) {
      for (const u of batch.users) {
        const g = slotGroup(userSlot(u.userId));
        const list = pending.get(g);
        if (list) list.push(u);
        else pending.set(g, [u]);
      }
      // Every slot up to batch.slot is read: the groups ending there are complete.
      for (; nextGroup <= lastGroup && slotGroup(batch.slot + 1) > nextGroup; nextGroup++) {
        yield { group: nextGroup, users: (pending.get(nextGroup) ?? []).sort((a, b) => (a.userId < b.userId ? -1 : 1)) };
        pending.delete(nextGroup);
      }
    }
    for (; nextGroup <= lastGroup; nextGroup++) yield { group: nextGroup, users: pending.get(nextGroup) ?? [] };
  }
}
