import * as fs from 'fs';
import * as path from 'path';
import { ReplayResult, Worker } from '@temporalio/worker';
import { TASK_QUEUES, TaskQueueName } from '../../libs/config/config';
import { bundleFile } from '../../libs/temporal/workflow-bundles';
import * as journeys from '../../workflows/journeys';
import * as ml from '../../workflows/ml';
import { TEST_BUNDLE_DIR } from '../support/global-setup';
import { historyFromJson } from './history-json';

const HISTORIES = path.join(__dirname, 'histories');
const files = fs.readdirSync(HISTORIES).filter((f) => f.endsWith('.json')).sort();
// The workflow types of each queue's bundle: a history replays against the bundle its workers run.
const typesOf: Record<TaskQueueName, string[]> = {
  ml: Object.entries(ml).filter(([, v]) => typeof v === 'function').map(([name]) => name),
  journeys: Object.entries(journeys).filter(([, v]) => typeof v === 'function').map(([name]) => name),
};
const typeOf = (file: string) => file.slice(0, file.indexOf('-'));

/**
 * Every recorded history (npm run record:histories) replayed against the workflow bundle of the
 * current code: a change that would make a running workflow take another path on replay (an
 * activity added, removed or reordered, a decision computed differently) fails here, before it
 * reaches a worker with histories in flight. See README, "Changing workflow code".
 */
describe('workflow histories replay on the current code', () => {
  it('has a recorded history for every workflow type the workers run', () => {
    const types = Object.values(typesOf).flat();
    expect(types.length).toBeGreaterThan(0);
    const missing = types.filter((t) => !files.some((f) => f.startsWith(`${t}-`)));
    expect(missing).toEqual([]);
  });

  it('replays every history without a nondeterminism error', async () => {
    expect(files.length).toBeGreaterThan(0);
    const results: ReplayResult[] = [];
    for (const queue of Object.keys(TASK_QUEUES) as TaskQueueName[]) {
      const mine = files.filter((f) => typesOf[queue].includes(typeOf(f)));
      const histories = mine.map((f) => ({ workflowId: f, history: historyFromJson(JSON.parse(fs.readFileSync(path.join(HISTORIES, f), 'utf8'))) }));
      for await (const r of Worker.runReplayHistories({ workflowBundle: { codePath: bundleFile(TEST_BUNDLE_DIR, queue) } }, histories)) results.push(r);
    }
    // Every history replayed: none of a type that no queue runs any more.
    expect(results.map((r) => r.workflowId).sort()).toEqual(files);
    const failed = results.filter((r) => r.error).map((r) => `${r.workflowId}: ${r.error!.message}`);
    expect(failed).toEqual([]);
  });
});
