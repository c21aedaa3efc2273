import { Client } from '@temporalio/client';
import { AppConfig, taskQueue } from '../config/config';
import { Reevaluation, REEVALUATE_SEGMENT_SIGNAL, SEGMENT_WORKFLOW_TYPE, SegmentWorkflowInput } from '../domain/segment-workflows';
import { SegmentIdKey } from './search-attributes';
import { deploymentIds } from './workflow-ids';

const WHY: Record<Reevaluation['reason'], string> = {
  created: 'the segment was created',
  updated: 'its definition changed',
  deleted: 'it was deleted',
  manual: 'someone asked to evaluate it now',
  rescore: 'a prediction it reads was rescored',
  ingestion: 'user data it reads changed',
  controlGroup: 'the control group changed',
  segments: 'a segment it reads changed members',
  clock: 'time passed',
};

/**
 * Asks a segment's workflow to re-evaluate, starting it if it is not running (signal-with-start on its
 * one ID, so there is never a second run per segment). Returns the workflow ID.
 */
export async function reevaluateSegment(client: Client, cfg: Pick<AppConfig, 'TASK_QUEUE_PREFIX'>, segmentId: string, why: Reevaluation): Promise<string> {
  const workflowId = deploymentIds(cfg).segment(segmentId);
  const input: SegmentWorkflowInput = { segmentId };
  await client.workflow.signalWithStart(SEGMENT_WORKFLOW_TYPE, {
    workflowId,
    taskQueue: taskQueue(cfg, 'ml'),
    args: [input],
    signal: REEVALUATE_SEGMENT_SIGNAL,
    signalArgs: [why],
    typedSearchAttributes: [{ key: SegmentIdKey, value: segmentId }],
    memo: { purpose: `Materialise the members of segment ${segmentId} and emit who entered and left` },
    staticSummary: `Keep the members of segment ${segmentId} up to date`,
    staticDetails: `Started because ${WHY[why.reason]}; re-evaluates on every signal (rescore, definition change, run now) and on its refresh timer.`,
  });
  return workflowId;
}

/**
 * Signals a segment's running workflow only (no start): for triggers that may name a segment deleted
 * meanwhile, whose run has ended and must stay ended. Throws WorkflowNotFoundError when no run is open.
 */
export async function signalSegment(client: Client, cfg: Pick<AppConfig, 'TASK_QUEUE_PREFIX'>, segmentId: string, why: Reevaluation): Promise<void> {
  await client.workflow.getHandle(deploymentIds(cfg).segment(segmentId)).signal(REEVALUATE_SEGMENT_SIGNAL, why);
}
