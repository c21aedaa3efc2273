// The workflows of the ml task queue (imports, retraining, rescoring, send-time profiles; later segments
// ): the entry of its own bundle, so ML changes deploy only ML workers.
export { importEvents } from './ingestion/import-events.workflow';
export { retrainModel } from './predictions/retrain-model.workflow';
export { rescoreUsers } from './predictions/rescore-users.workflow';
export { optimizeSendTimes } from './send-time/optimize-send-times.workflow';
