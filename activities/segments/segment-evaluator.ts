import { Inject, Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/activity';
import { RESCORE_PARTITION_USERS } from '../../libs/domain/prediction-workflows';
import { GroupOutcome, PartitionOutcome, Reevaluation, SegmentCommit, SegmentEvaluationContext, SegmentEvaluationPlan, SlotPartition } from '../../libs/domain/segment-workflows';
import { SegmentChangesRepository } from '../../libs/persistence/segment-changes.repository';
import { SegmentDefinitionsRepository } from '../../libs/persistence/segment-definitions.repository';
import { emptyHead, SegmentHeadsRepository } from '../../libs/persistence/segment-heads.repository';
import { SegmentMemberBucketsRepository } from '../../libs/persistence/segment-member-buckets.repository';
import { UserRecordsRepository } from '../../libs/persistence/user-records/user-records.repository';
import { APP_CONFIG } from '../../libs/config/config.module';
import { AppConfig } from '../../libs/config/config';
import { compileSegment, dependencies, membershipChange, membershipEvents, retentionPlan, sortedMembers } from '../../libs/segments';
import { segmentPartitions } from '../../libs/segments/segment-evaluation';
import { SegmentPopulation } from './segment-population';

const DAY_MS = 86_400_000;
/** Versions whose change events one commit deletes at most (one indexed delete each); older ones wait for the next commit. */
const MAX_PRUNED_VERSIONS_PER_COMMIT = 100;

export interface EvaluatePartitionInput {
  context: SegmentEvaluationContext;
  /** The version being built (previous + 1) and the version of each group before it. */
  version: number;
  previousGroups: number[];
  partition: SlotPartition;
  /** Look for buckets an earlier build of this version stored (see SegmentEvaluationPlan.recheckStored). */
  recheckStored: boolean;
}

export interface CommitInput {
  context: SegmentEvaluationContext;
  previous: SegmentEvaluationPlan['previous'];
  groups: GroupOutcome[];
  reasons: Reevaluation[];
}

/**
 * The steps of one evaluation (plan, evaluate a partition, commit), as plain methods: the activities
 * wrap them with heartbeats, the benchmark calls them directly. A version is built group by group
 * (insert-only buckets and change events under unique `_id`s, so a repeated partition stores and emits
 * nothing twice), then committed by writing the head (the segment's workflow is its single writer).
 */
@Injectable()
export class SegmentEvaluator {
  constructor(
    @Inject(SegmentDefinitionsRepository) private readonly definitions: SegmentDefinitionsRepository,
    @Inject(SegmentHeadsRepository) private readonly heads: SegmentHeadsRepository,
    @Inject(SegmentMemberBucketsRepository) private readonly buckets: SegmentMemberBucketsRepository,
    @Inject(SegmentChangesRepository) private readonly changes: SegmentChangesRepository,
    @Inject(UserRecordsRepository) private readonly users: UserRecordsRepository,
    @Inject(SegmentPopulation) private readonly population: SegmentPopulation,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  /** The definition, its sources and the partitions, as of `now`; a deleted segment plans nothing. */
  async plan(segmentId: string, now: number, partitionUsers = RESCORE_PARTITION_USERS): Promise<SegmentEvaluationPlan> {
    const head = await this.heads.get(segmentId);
    const previous = head ? { version: head.version, groups: head.groups, counts: head.counts } : emptyHead();
    const current = await this.definitions.current(segmentId);
    if (!current || current.deleted || !current.definition) return { context: null, previous, partitions: [], recheckStored: false, refreshMinutes: null };
    const recheckStored = head === null || head.planned === previous.version + 1;
    if (head && !recheckStored) await this.heads.markPlanned(segmentId, previous.version + 1);
    const d = dependencies(current.definition);
    const context = await this.population.context(segmentId, current.revision, current.definition, now);
    // Enumerating scores needs no user count: the partitions are the score sets' slot groups.
    const users = context.population === 'records' ? await this.users.estimatedUsers() : Math.max(0, ...context.scoreSets.map((set) => set.users));
    return {
      context,
      previous,
      partitions: segmentPartitions(users, partitionUsers),
      recheckStored,
      // The workflow takes the period from each plan (it cannot read configuration), so a change applies at the next evaluation.
      refreshMinutes: d.timeDependent || d.subjectParts.includes('profile') || d.subjectParts.includes('events') ? this.cfg.SEGMENT_REFRESH_MINUTES : null,
    };
  }

  /**
   * Evaluates a partition's users group by group, skipping the groups of `done` (a resumed attempt);
   * `onGroup` hears each group settled. A group whose members changed is stored under the new version
   * with one change event per user who entered or left; a bucket already stored for the new version
   * (an earlier attempt) is adopted as it is, so the version's buckets and its events always agree.
   */
  async evaluatePartition(input: EvaluatePartitionInput, done: Map<number, GroupOutcome>, onGroup: () => void = () => undefined): Promise<PartitionOutcome> {
    const { context: ctx, version } = input;
    const revision = await this.definitions.revision(ctx.segmentId, ctx.definitionRevision);
    if (!revision?.definition) throw ApplicationFailure.nonRetryable(`segment ${ctx.segmentId} has no revision ${ctx.definitionRevision}`, 'NoSuchSegmentRevision');
    const matches = compileSegment(revision.definition, ctx.segmentId);
    let scanned = 0;
    for await (const { group, subjects } of this.population.subjects(ctx, input.partition)) {
      if (done.has(group)) continue;
      scanned += subjects.length;
      const computed = sortedMembers(subjects.filter(matches).map((s) => s.userId));
      done.set(group, await this.settleGroup(ctx.segmentId, version, group, input.previousGroups[group], computed, input.recheckStored));
      onGroup();
    }
    return { groups: [...done.values()].sort((a, b) => a.group - b.group), scanned };
  }

  private async settleGroup(segmentId: string, version: number, group: number, previousVersion: number, computed: string[], recheckStored: boolean): Promise<GroupOutcome> {
    const before = await this.buckets.members(segmentId, previousVersion, group);
    const unchanged: GroupOutcome = { group, count: before.length, changed: false, entered: 0, left: 0 };
    const adopted = recheckStored ? await this.buckets.find(segmentId, version, group) : null;
    if (!adopted && membershipChange(segmentId, { version: version - 1, members: before }, computed) === null) return unchanged;
    // A concurrent attempt may store first: what is stored is what the version holds.
    const after = adopted ?? (await this.buckets.store(segmentId, version, group, computed));
    const change = membershipChange(segmentId, { version: version - 1, members: before }, after);
    if (!change) return unchanged;
    await this.changes.record(membershipEvents(change), new Date());
    return { group, count: after.length, changed: true, entered: change.entered.length, left: change.left.length };
  }

  /**
   * Makes the new version current (when a group changed) by writing the head; a repeat writes the same
   * head. Retention runs here, in the single writer, before the head is written (so a retry finds the
   * same work): the buckets this version replaced are retired, those retired longer than the grace
   * period are deleted, and so are the change events older than the retention window (see
   * retentionPlan). Returns the segments that read this one when it changed.
   */
  async commit(input: CommitInput): Promise<{ commit: SegmentCommit; readers: string[] }> {
    const { context: ctx, previous } = input;
    const changed = input.groups.some((g) => g.changed);
    const version = changed ? previous.version + 1 : previous.version;
    const groups = [...previous.groups];
    const counts = [...previous.counts];
    for (const g of input.groups) {
      counts[g.group] = g.count;
      if (g.changed) groups[g.group] = version;
    }
    const entered = input.groups.reduce((n, g) => n + g.entered, 0);
    const left = input.groups.reduce((n, g) => n + g.left, 0);
    const size = counts.reduce((n, c) => n + c, 0);
    const head = await this.heads.get(ctx.segmentId);
    const now = new Date();
    const retention = retentionPlan({
      state: { retired: head?.retired ?? [], marks: head?.marks ?? [], changesPrunedThrough: head?.changesPrunedThrough ?? 0 },
      previousGroups: previous.groups,
      groups,
      version,
      changed,
      now: now.getTime(),
      bucketGraceMs: this.cfg.SEGMENT_BUCKET_GRACE_SECONDS * 1000,
      changesRetentionMs: this.cfg.SEGMENT_CHANGES_RETENTION_DAYS * DAY_MS,
      maxChangeVersions: MAX_PRUNED_VERSIONS_PER_COMMIT,
    });
    await this.buckets.delete(ctx.segmentId, retention.deleteBuckets);
    const pruned = retention.deleteChanges;
    if (pruned) for (let v = pruned.from; v <= pruned.to; v++) await this.changes.deleteVersion(ctx.segmentId, v);
    await this.heads.put({
      _id: ctx.segmentId,
      version,
      groups,
      counts,
      size,
      definitionRevision: ctx.definitionRevision,
      evaluatedAt: now,
      changedAt: changed ? now : (head?.changedAt ?? null),
      lastChange: changed ? { version, entered, left } : (head?.lastChange ?? null),
      planned: null,
      ...retention.state,
    });
    const readers = changed ? (await this.definitions.live()).filter((s) => s.segmentId !== ctx.segmentId && dependencies(s.definition!).segments.includes(ctx.segmentId)) : [];
    return { commit: { segmentId: ctx.segmentId, version, changed, size, entered, left }, readers: readers.map((r) => r.segmentId) };
  }
}
