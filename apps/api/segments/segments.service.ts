import { randomBytes } from 'crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { SegmentPopulation } from '../../../activities/segments/segment-population';
import { AuditService } from '../../../libs/access/audit.service';
import { APP_CONFIG } from '../../../libs/config/config.module';
import { AppConfig } from '../../../libs/config/config';
import { Actor } from '../../../libs/domain/access';
import { ConflictError, NotFoundError, ValidationError } from '../../../libs/domain/errors';
import { SegmentDefinition } from '../../../libs/domain/segment-definition';
import { Reevaluation } from '../../../libs/domain/segment-workflows';
import { SLOT_GROUPS, SLOTS_PER_GROUP, USER_SLOTS } from '../../../libs/domain/user-slots';
import { ControlGroupSettingsRepository } from '../../../libs/persistence/control-group-settings.repository';
import { PredictionsRepository } from '../../../libs/persistence/predictions.repository';
import { SegmentChangesRepository } from '../../../libs/persistence/segment-changes.repository';
import { SegmentDefinitionsRepository, SegmentRevisionDoc } from '../../../libs/persistence/segment-definitions.repository';
import { SegmentHeadDoc, SegmentHeadsRepository } from '../../../libs/persistence/segment-heads.repository';
import { SegmentMemberBucketsRepository } from '../../../libs/persistence/segment-member-buckets.repository';
import { UserRecordsRepository } from '../../../libs/persistence/user-records/user-records.repository';
import {
  compileSegment,
  currentControlGroup,
  dependencies,
  extrapolateSize,
  inControlGroup,
  mergePreviews,
  previewSegment,
  SegmentCatalogue,
  SegmentFromPrediction,
  segmentFromPrediction,
  SegmentPreview,
  validateSegmentDefinition,
} from '../../../libs/segments';
import { reevaluateSegment } from '../../../libs/temporal/segment-workflows';
import { TEMPORAL_CLIENT } from '../../../libs/temporal/temporal-client.module';
import { SegmentBody } from './segments.responses';

/** A preview reads slot groups until it has seen this many users (all of them in a smaller population). */
const PREVIEW_USERS = 20_000;

export interface EvaluationStarted {
  segmentId: string;
  workflowId: string | null;
}

/**
 * Segments as configuration: every change is a new stored revision (insert-only, so two concurrent
 * edits cannot both win) and an audit entry; then the segment's workflow is told to re-evaluate.
 * Reads of members and changes are `_id` lookups of what the workflow materialised.
 */
@Injectable()
export class SegmentsService {
  constructor(
    @Inject(SegmentDefinitionsRepository) private readonly definitions: SegmentDefinitionsRepository,
    @Inject(SegmentHeadsRepository) private readonly heads: SegmentHeadsRepository,
    @Inject(SegmentMemberBucketsRepository) private readonly buckets: SegmentMemberBucketsRepository,
    @Inject(SegmentChangesRepository) private readonly changes: SegmentChangesRepository,
    @Inject(PredictionsRepository) private readonly predictions: PredictionsRepository,
    @Inject(ControlGroupSettingsRepository) private readonly controlGroup: ControlGroupSettingsRepository,
    @Inject(UserRecordsRepository) private readonly users: UserRecordsRepository,
    @Inject(SegmentPopulation) private readonly population: SegmentPopulation,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  /** The definition checked against the whitelist and the catalogue; a 400 naming every field at fault otherwise. */
  async validDefinition(input: unknown, segmentId?: string): Promise<SegmentDefinition> {
    const catalogue: SegmentCatalogue = {
      predictions: (await this.predictions.list()).map((p) => ({ id: p._id, status: p.status, archived: p.archived, type: p.type })),
      segments: (await this.definitions.live()).map((s) => ({ id: s.segmentId, definition: s.definition! })),
    };
    const v = validateSegmentDefinition(input, catalogue, { segmentId, at: 'definition' });
    if (!v.ok) throw new ValidationError('invalid segment definition', v.errors);
    return v.definition;
  }

  async create(body: SegmentBody, actor: Actor) {
    const definition = await this.validDefinition(body.definition);
    const segmentId = `s_${randomBytes(6).toString('hex')}`;
    const doc = await this.definitions.insertRevision(
      { segmentId, revision: 1, name: body.name, description: body.description ?? null, definition, deleted: false, at: new Date() },
      actor,
    );
    const segment = this.view(doc, null);
    await this.audit.record(actor, { action: 'segment.create', resourceType: 'segment', resourceId: segmentId, before: null, after: segment });
    return { segment, evaluation: await this.reevaluate(segmentId, { reason: 'created' }) };
  }

  async fromPrediction(input: SegmentFromPrediction, actor: Actor) {
    const prediction = await this.predictions.findById(input.predictionId);
    const { name, definition } = segmentFromPrediction(input, prediction?.name);
    return this.create({ name, definition }, actor);
  }

  async list() {
    const docs = await this.definitions.live();
    return Promise.all(docs.map(async (d) => this.view(d, await this.heads.get(d.segmentId))));
  }

  async get(segmentId: string) {
    const doc = await this.live(segmentId);
    return this.view(doc, await this.heads.get(segmentId));
  }

  async update(segmentId: string, body: SegmentBody, actor: Actor) {
    const current = await this.live(segmentId);
    const definition = await this.validDefinition(body.definition, segmentId);
    const before = this.view(current, null);
    const doc = await this.definitions.insertRevision(
      { segmentId, revision: current.revision + 1, name: body.name, description: body.description ?? null, definition, deleted: false, at: new Date() },
      actor,
    );
    const segment = this.view(doc, await this.heads.get(segmentId));
    await this.audit.record(actor, { action: 'segment.update', resourceType: 'segment', resourceId: segmentId, before, after: segment });
    return { segment, evaluation: await this.reevaluate(segmentId, { reason: 'updated' }) };
  }

  async delete(segmentId: string, actor: Actor) {
    const current = await this.live(segmentId);
    const readers = (await this.definitions.live()).filter((s) => s.segmentId !== segmentId && dependencies(s.definition!).segments.includes(segmentId));
    if (readers.length > 0) {
      throw new ConflictError(`segment ${segmentId} is read by ${readers.map((r) => r.segmentId).join(', ')}: change those first`);
    }
    await this.definitions.insertRevision({ ...current, revision: current.revision + 1, definition: null, deleted: true, at: new Date() }, actor);
    await this.audit.record(actor, { action: 'segment.delete', resourceType: 'segment', resourceId: segmentId, before: this.view(current, null), after: null });
    return { deleted: true as const, id: segmentId, evaluation: await this.reevaluate(segmentId, { reason: 'deleted' }) };
  }

  async evaluate(segmentId: string, actor: Actor): Promise<EvaluationStarted> {
    await this.live(segmentId);
    const started = await this.reevaluate(segmentId, { reason: 'manual' }, true);
    await this.audit.record(actor, { action: 'segment.evaluate', resourceType: 'segment', resourceId: segmentId, before: null, after: started });
    return started;
  }

  /**
   * Size and a sample before saving: reads whole slot groups (uniform samples of the users, by hash)
   * until PREVIEW_USERS were seen, every group when the population is small, and extrapolates.
   */
  async preview(input: unknown, sampleSize: number) {
    const definition = await this.validDefinition(input);
    const matches = compileSegment(definition);
    const ctx = await this.population.context('(preview)', 0, definition, Date.now());
    const options = { sampleSize, seed: 'segment-preview' };
    const whole = (await this.users.estimatedUsers()) <= PREVIEW_USERS;
    const previews: SegmentPreview[] = [];
    let groups = 0;
    let scanned = 0;
    for (let g = 0; g < SLOT_GROUPS && (whole || scanned < PREVIEW_USERS); g++) {
      const partition = whole ? { fromSlot: 0, toSlot: USER_SLOTS, users: 0, read: 'whole' as const } : { fromSlot: g * SLOTS_PER_GROUP, toSlot: (g + 1) * SLOTS_PER_GROUP, users: 0, read: 'groups' as const };
      for await (const { subjects } of this.population.subjects(ctx, partition)) {
        const p = await previewSegment(matches, subjects, options);
        previews.push(p);
        scanned += p.scanned;
        groups++;
      }
      if (whole) break;
    }
    const merged = mergePreviews(previews, options);
    const exact = groups === SLOT_GROUPS;
    // Groups are uniform by hash, so the population this kind of scan sees is the scanned share scaled up.
    const population = exact ? merged.scanned : Math.round((merged.scanned * SLOT_GROUPS) / groups);
    const size = merged.scanned === 0 ? { estimate: 0, low: 0, high: 0 } : extrapolateSize({ matched: merged.matched, scanned: merged.scanned, population });
    return { scanned: merged.scanned, matched: merged.matched, size, exact, sample: merged.sample };
  }

  /** A page of the members of the current version, by slot group then id; a cursor from an older version is a 409. */
  async members(segmentId: string, cursor: string | undefined, limit: number) {
    await this.live(segmentId);
    const head = await this.heads.get(segmentId);
    if (!head) return { segmentId, version: 0, size: 0, members: [], next: null };
    const at = cursor ? parseCursor(cursor) : { version: head.version, group: 0, index: 0 };
    if (at.version !== head.version) throw new ConflictError(`segment ${segmentId} is at version ${head.version} now (the cursor is from version ${at.version}): start again from the first page`);
    const assignment = currentControlGroup(await this.controlGroup.current());
    const members: { userId: string; inControlGroup: boolean }[] = [];
    let { group, index } = at;
    while (group < SLOT_GROUPS && members.length < limit) {
      const ids = head.counts[group] === 0 ? [] : await this.buckets.members(segmentId, head.groups[group], group);
      const take = ids.slice(index, index + limit - members.length);
      members.push(...take.map((userId) => ({ userId, inControlGroup: inControlGroup(userId, assignment) })));
      index += take.length;
      if (index >= ids.length) {
        group++;
        index = 0;
      }
    }
    const more = head.counts.slice(group).some((c, k) => (k === 0 ? c > index : c > 0));
    return { segmentId, version: head.version, size: head.size, members, next: more ? `${head.version}.${group}.${index}` : null };
  }

  /** Who entered and left at a version (default: the current one), by user id, paged. */
  async changesOf(segmentId: string, version: number | undefined, after: string | undefined, limit: number) {
    await this.live(segmentId);
    const v = version ?? (await this.heads.get(segmentId))?.version ?? 0;
    const all = v === 0 ? [] : await this.changes.ofVersion(segmentId, v);
    const from = after === undefined ? 0 : all.findIndex((c) => c.userId > after);
    const page = from < 0 ? [] : all.slice(from, from + limit);
    const more = from >= 0 && from + limit < all.length;
    return { segmentId, version: v, changes: page.map(({ userId, change, version: cv }) => ({ userId, change, version: cv })), next: more ? page.at(-1)!.userId : null };
  }

  private async live(segmentId: string): Promise<SegmentRevisionDoc> {
    const doc = await this.definitions.current(segmentId);
    if (!doc || doc.deleted) throw new NotFoundError(`no segment ${segmentId}`);
    return doc;
  }

  /** Signal-with-start; `required` makes an unreachable Temporal fail the request (run now), else the change stands and says so. */
  private async reevaluate(segmentId: string, why: Reevaluation, required = false): Promise<EvaluationStarted> {
    try {
      return { segmentId, workflowId: await reevaluateSegment(this.temporal, this.cfg, segmentId, why) };
    } catch (err) {
      if (required) throw err;
      return { segmentId, workflowId: null };
    }
  }

  private view(doc: SegmentRevisionDoc, head: SegmentHeadDoc | null) {
    const d = dependencies(doc.definition!);
    return {
      id: doc.segmentId,
      name: doc.name,
      description: doc.description,
      revision: doc.revision,
      definition: doc.definition as unknown as Record<string, unknown>,
      reads: { predictions: d.predictions.map((p) => p.predictionId), segments: d.segments, timeDependent: d.timeDependent },
      membership: head && {
        version: head.version,
        size: head.size,
        evaluatedAt: new Date(head.evaluatedAt).toISOString(),
        changedAt: head.changedAt && new Date(head.changedAt).toISOString(),
        lastChange: head.lastChange,
      },
      updatedAt: doc.at.toISOString(),
    };
  }
}

function parseCursor(cursor: string): { version: number; group: number; index: number } {
  const m = /^(\d{1,9})\.(\d{1,2})\.(\d{1,9})$/.exec(cursor);
  if (!m || Number(m[2]) >= SLOT_GROUPS) throw new ValidationError('invalid cursor', [{ field: 'cursor', reason: 'pass the `next` of the previous page' }]);
  return { version: Number(m[1]), group: Number(m[2]), index: Number(m[3]) };
}
