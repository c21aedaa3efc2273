import { Injectable } from '@nestjs/common';
import { QualityGatePolicy } from '../../libs/domain/prediction';
import { GateDecision, GateMetrics, qualityGate } from '../../libs/domain/quality-gate';
import { Activity } from '../../libs/temporal/activity.decorator';

export interface GateInput {
  candidate: GateMetrics;
  active: GateMetrics | null;
  policy: QualityGatePolicy;
}

/**
 * The promote/reject decision of a retrain, taken in an activity: its result is recorded in the
 * workflow's history, so a change to the gate applies to new retrains and never flips the decision
 * of a run being replayed.
 */
@Injectable()
export class QualityGateActivities {
  @Activity()
  async decideQualityGate(input: GateInput): Promise<GateDecision> {
    return qualityGate(input.candidate, input.active, input.policy);
  }
}
