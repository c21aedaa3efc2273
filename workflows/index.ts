// Every workflow the workers run; the bundler starts from this file.
export { importEvents } from './ingestion/import-events.workflow';
