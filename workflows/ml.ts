// The workflows of the ml task queue (imports, retraining, rescoring; later segments and send-time
// models): the entry of its own bundle, so ML changes deploy only ML workers.
export { importEvents } from './ingestion/import-events.workflow';
export { retrainModel } from './predictions/retrain-model.workflow';
export { rescoreUsers } from './predictions/rescore-users.workflow';
