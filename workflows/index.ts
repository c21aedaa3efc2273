// Every workflow the workers run; the bundler starts from this file.
export { importEvents } from './ingestion/import-events.workflow';
export { retrainModel } from './predictions/retrain-model.workflow';
export { rescoreUsers } from './predictions/rescore-users.workflow';
export { segmentMembership } from './segments/segment-membership.workflow';
export { optimizeSendTimes } from './send-time/optimize-send-times.workflow';
