import { Client, WorkflowHandle } from '@temporalio/client';
import mongoose from 'mongoose';
import { AppConfig } from '../../libs/config/config';

/** What the recorder gives a scenario: a worker polls every task queue of `cfg` while it runs. */
export interface ScenarioContext {
  client: Client;
  /** The recorder's own configuration: its task-queue prefix and database, dropped afterwards. */
  cfg: AppConfig;
  /** A direct connection to the recorder's database, to store what a scenario starts from. */
  db: mongoose.Connection;
}

/** One run to keep: saved as histories/<workflowType>-<scenario>.json (-run<k> per continue-as-new run). */
export interface RecordedRun {
  scenario: string;
  handle: WorkflowHandle;
}

/**
 * One module per workflow type, test/replay/scenarios/<name>.scenario.ts, exporting this (as its
 * default export, or as the module itself: `export const name`, `export async function record`):
 * `record` runs the workflow for real (as many scenarios as its branches need) and returns the runs
 * whose histories to save. The recorder waits for each to close, so a scenario may return a run
 * that ends failed on purpose.
 */
export interface ReplayScenario {
  name: string;
  record(ctx: ScenarioContext): Promise<RecordedRun[]>;
}
