import * as fs from 'fs';
import * as path from 'path';
import { ReplayResult, Worker } from '@temporalio/worker';
import * as workflows from '../../workflows';
import { TEST_BUNDLE_PATH } from '../support/global-setup';
import { historyFromJson } from './history-json';

const HISTORIES = path.join(__dirname, 'histories');
const files = fs.readdirSync(HISTORIES).filter((f) => f.endsWith('.json')).sort();

/**
 * Every recorded history (npm run record:histories) replayed against the workflow bundle of the
 * current code: a change that would make a running workflow take another path on replay (an
 * activity added, removed or reordered, a decision computed differently) fails here, before it
 * reaches a worker with histories in flight. See README, "Changing workflow code".
 */
describe('workflow histories replay on the current code', () => {
  it('has a recorded history for every workflow type the workers run', () => {
    const types = Object.entries(workflows).filter(([, v]) => typeof v === 'function').map(([name]) => name);
    expect(types.length).toBeGreaterThan(0);
    const missing = types.filter((t) => !files.some((f) => f.startsWith(`${t}-`)));
    expect(missing).toEqual([]);
  });

  it('replays every history without a nondeterminism error', async () => {
    expect(files.length).toBeGreaterThan(0);
    const histories = files.map((f) => ({ workflowId: f, history: historyFromJson(JSON.parse(fs.readFileSync(path.join(HISTORIES, f), 'utf8'))) }));
    const results: ReplayResult[] = [];
    for await (const r of Worker.runReplayHistories({ workflowBundle: { codePath: TEST_BUNDLE_PATH } }, histories)) results.push(r);
    expect(results.map((r) => r.workflowId)).toEqual(files);
    const failed = results.filter((r) => r.error).map((r) => `${r.workflowId}: ${r.error!.message}`);
    expect(failed).toEqual([]);
  });
});
