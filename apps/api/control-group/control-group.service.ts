import { randomBytes } from 'crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { AuditService } from '../../../libs/access/audit.service';
import { APP_CONFIG } from '../../../libs/config/config.module';
import { AppConfig } from '../../../libs/config/config';
import { Actor } from '../../../libs/domain/access';
import { ControlGroupAssignment, UpdateControlGroup } from '../../../libs/domain/control-group';
import { ValidationError } from '../../../libs/domain/errors';
import { ControlGroupRevisionDoc, ControlGroupSettingsRepository } from '../../../libs/persistence/control-group-settings.repository';
import { SegmentDefinitionsRepository } from '../../../libs/persistence/segment-definitions.repository';
import { affectedSegments, changeControlGroup, currentControlGroup } from '../../../libs/segments';
import { reevaluateSegment } from '../../../libs/temporal/segment-workflows';
import { TEMPORAL_CLIENT } from '../../../libs/temporal/temporal-client.module';

const view = (a: ControlGroupAssignment) => ({ ...a, from: a.from.toISOString(), to: a.to?.toISOString() ?? null });

/**
 * The global control group: each change keeps the assignment it replaces (reports tell who was in the
 * group on any day), is audited, and re-evaluates the segments that read the control group.
 */
@Injectable()
export class ControlGroupService {
  constructor(
    @Inject(ControlGroupSettingsRepository) private readonly settings: ControlGroupSettingsRepository,
    @Inject(SegmentDefinitionsRepository) private readonly definitions: SegmentDefinitionsRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  async get() {
    return this.present(await this.settings.current());
  }

  async update(change: UpdateControlGroup, actor: Actor) {
    const stored = await this.settings.current();
    const result = changeControlGroup(stored, change, { now: new Date(), newSalt: randomBytes(8).toString('hex') });
    if (!result.ok) throw new ValidationError('invalid control group change', result.errors);
    if (!result.changed) return this.present(stored);
    const doc = await this.settings.insert((stored?.revision ?? 0) + 1, result.settings, actor, new Date());
    const after = this.present(doc);
    await this.audit.record(actor, { action: 'controlGroup.update', resourceType: 'settings', resourceId: 'control-group', before: this.present(stored), after });
    const segments = (await this.definitions.live()).map((s) => ({ id: s.segmentId, definition: s.definition! }));
    for (const id of affectedSegments(segments, { kind: 'controlGroup' })) {
      // A segment whose workflow cannot be told now is refreshed at its next evaluation.
      await reevaluateSegment(this.temporal, this.cfg, id, { reason: 'controlGroup' }).catch(() => undefined);
    }
    return after;
  }

  private present(doc: ControlGroupRevisionDoc | null) {
    const current = currentControlGroup(doc);
    return { revision: doc?.revision ?? 0, current: current && view(current), assignments: (doc?.assignments ?? []).map(view) };
  }
}
