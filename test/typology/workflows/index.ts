// The workflows of the typology worker test's own bundle: the journeys queue's, and a journey step.
export * from '../../../workflows/journeys';
export { sendStep } from './send-step.workflow';
