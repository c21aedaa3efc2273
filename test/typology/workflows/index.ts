// The workflows of the typology worker test's own bundle: the production ones, and a journey step.
export * from '../../../workflows';
export { sendStep } from './send-step.workflow';
