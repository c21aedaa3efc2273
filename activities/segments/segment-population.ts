import { Inject, Injectable } from '@nestjs/common';
import { SegmentDefinition } from '../../libs/domain/segment-definition';
import { SegmentSubject, SubjectScore } from '../../libs/domain/segment-subject';
import { SegmentEvaluationContext, SegmentMembershipSource } from '../../libs/domain/segment-workflows';
import { SlotPartition } from '../../libs/domain/user-slots';
import { UserTimeline } from '../../libs/domain/user-timeline';
import { ControlGroupSettingsRepository } from '../../libs/persistence/control-group-settings.repository';
import { PassScoreDoc } from '../../libs/persistence/score-set.schema';
import { ScoreSetsRepository } from '../../libs/persistence/score-sets.repository';
import { emptyHead, SegmentHeadsRepository } from '../../libs/persistence/segment-heads.repository';
import { SegmentMemberBucketsRepository } from '../../libs/persistence/segment-member-buckets.repository';
import { UserRecordsRepository } from '../../libs/persistence/user-records/user-records.repository';
import { buildSubject, currentControlGroup, dependencies, subjectScore } from '../../libs/segments';
import { groupsOf, onlyScoredUsersMatch, usersByGroup } from '../../libs/segments/segment-evaluation';

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
  async *subjects(ctx: SegmentEvaluationContext, partition: SlotPartition): AsyncGenerator<GroupSubjects> {
    const groups = groupsOf(partition);
    // A small population is read whole, once per score set; otherwise one equality read per group.
    const wholeScores = partition.read === 'whole' ? await this.allScores(ctx) : null;
    const scoresOf = async (g: number): Promise<PassScoreDoc[][]> =>
      wholeScores ? (wholeScores.get(g) ?? ctx.scoreSets.map(() => [])) : Promise.all(ctx.scoreSets.map((s) => this.scoreSets.scoresOf(s, { g })));
    const timelines = ctx.population === 'records' ? usersByGroup(this.users.scan(partition), partition) : null;
    for (const g of groups) {
      const scoreDocs = await scoresOf(g);
      // usersByGroup yields every group of the partition, in the same order.
      const users = timelines ? ((await timelines.next()).value?.users ?? []) : null;
      yield { group: g, subjects: await this.groupSubjects(ctx, g, scoreDocs, users) };
    }
  }

  private async groupSubjects(ctx: SegmentEvaluationContext, g: number, scoreDocs: PassScoreDoc[][], users: UserTimeline[] | null): Promise<SegmentSubject[]> {
    const scores = new Map<string, Record<string, SubjectScore>>();
    ctx.scoreSets.forEach((set, k) => {
      for (const s of scoreDocs[k]) {
        const own = scores.get(s._id) ?? {};
        own[set.predictionId] = subjectScore(s, set.percentiles);
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

  private async allScores(ctx: SegmentEvaluationContext): Promise<Map<number, PassScoreDoc[][]>> {
    const byGroup = new Map<number, PassScoreDoc[][]>();
    for (let k = 0; k < ctx.scoreSets.length; k++) {
      for await (const s of this.scoreSets.streamScores(ctx.scoreSets[k])) {
        const lists = byGroup.get(s.g) ?? ctx.scoreSets.map(() => []);
        lists[k].push(s);
        byGroup.set(s.g, lists);
      }
    }
    return byGroup;
  }
}
