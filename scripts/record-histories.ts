/**
 * Records the histories the replay test (test/replay/replay.test.ts) replays: runs every scenario
 * module test/replay/scenarios/*.scenario.ts against the real Temporal server and store, with an
 * in-process worker on the current code, and saves each run's history as
 * test/replay/histories/<workflowType>-<scenario>[-run<k>].json (one file per continue-as-new run).
 *
 *   npm run record:histories                # every scenario
 *   npm run record:histories -- retrain     # the scenarios named so
 *
 * Runs in a database and task-queue prefix of its own, dropped afterwards. Never edit a recorded
 * history by hand: record again (see README, "Changing workflow code").
 */
import 'reflect-metadata';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { NestFactory } from '@nestjs/core';
import { Client, Connection, WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import mongoose from 'mongoose';
import { ACTIVITIES_BY_QUEUE, WorkerModule } from '../apps/worker/worker.module';
import { loadConfig, TaskQueueName } from '../libs/config/config';
import { bindActivities } from '../libs/temporal/activity.decorator';
import { connectionOptions } from '../libs/temporal/connection-options';
import { queueWorkers } from '../libs/temporal/worker-factory';
import { bundleWorkflows } from '../libs/temporal/workflow-bundles';
import { historyToJson } from '../test/replay/history-json';
import type { ReplayScenario, ScenarioContext } from '../test/replay/scenario';

const ROOT = path.resolve(__dirname, '..');
const SCENARIOS = path.join(ROOT, 'test', 'replay', 'scenarios');
const HISTORIES = path.join(ROOT, 'test', 'replay', 'histories');

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

function scenarioOf(file: string): ReplayScenario {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(file) as { default?: ReplayScenario } & Partial<ReplayScenario>;
  const s = mod.default ?? (mod as ReplayScenario);
  if (typeof s?.record !== 'function' || typeof s.name !== 'string') throw new Error(`${file} exports no { name, record(ctx) }`);
  return s;
}

/** Every run of a workflow, first to last: a continue-as-new chain is walked back from its last run. */
async function runsOf(client: Client, handle: WorkflowHandle): Promise<History[]> {
  const runs: History[] = [];
  let runId: string | undefined;
  for (;;) {
    const history = await client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
    runs.unshift(history);
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
    if (!runId) return runs;
  }
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const id = randomBytes(3).toString('hex');
  const base = loadConfig();
  const uri = new URL(base.MONGODB_URI);
  uri.pathname = `/replay_recorder_${id}`;
  // Set before the worker's modules read the environment.
  Object.assign(process.env, { MONGODB_URI: uri.toString(), TASK_QUEUE_PREFIX: `replay-${id}`, LOG_LEVEL: 'warn' });
  const cfg = loadConfig();

  const files = fs.readdirSync(SCENARIOS).filter((f) => f.endsWith('.scenario.ts')).sort();
  const scenarios = files.map((f) => scenarioOf(path.join(SCENARIOS, f))).filter((s) => only.length === 0 || only.includes(s.name));
  if (scenarios.length === 0) throw new Error(`no scenario named ${only.join(', ')} in ${SCENARIOS}`);

  Runtime.install({ logger: new DefaultLogger('WARN') });
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn'] });
  const connection = await NativeConnection.connect(connectionOptions(cfg));
  // Each queue's own bundle, as its workers run it.
  const workers = (
    await Promise.all(
      (Object.keys(ACTIVITIES_BY_QUEUE) as TaskQueueName[]).map(async (queue) =>
        queueWorkers(cfg, {
          connection,
          queue,
          workflowBundle: { code: await bundleWorkflows(queue) },
          activities: Object.assign({}, ...ACTIVITIES_BY_QUEUE[queue].map((p) => bindActivities(app.get(p)))),
        }),
      ),
    )
  ).flat();
  const running = workers.map((w) => w.run());
  const client = new Client({ connection: await Connection.connect(connectionOptions(cfg)), namespace: cfg.TEMPORAL_NAMESPACE });
  const db = await mongoose.createConnection(cfg.MONGODB_URI).asPromise();
  const ctx: ScenarioContext = { client, cfg, db };
  fs.mkdirSync(HISTORIES, { recursive: true });
  try {
    for (const s of scenarios) {
      console.log(`recording ${s.name} ...`);
      for (const run of await s.record(ctx)) {
        await run.handle.result().catch(() => undefined); // a run failing on purpose is recorded too
        const histories = await runsOf(client, run.handle);
        const type = histories[0].events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
        if (!type) throw new Error(`${run.handle.workflowId}: no workflow type in its history`);
        const stem = `${type}-${run.scenario}`;
        for (const old of fs.readdirSync(HISTORIES).filter((f) => f === `${stem}.json` || new RegExp(`^${stem}-run\\d+\\.json$`).test(f))) {
          fs.rmSync(path.join(HISTORIES, old));
        }
        histories.forEach((h, k) => {
          const file = path.join(HISTORIES, histories.length === 1 ? `${stem}.json` : `${stem}-run${k + 1}.json`);
          fs.writeFileSync(file, JSON.stringify(historyToJson(h), null, 1) + '\n');
          console.log(`  ${path.relative(ROOT, file)} (${h.events?.length} events)`);
        });
      }
    }
  } finally {
    workers.forEach((w) => w.shutdown());
    await Promise.allSettled(running);
    await connection.close();
    await client.connection.close();
    await db.dropDatabase();
    await db.close();
    await app.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
