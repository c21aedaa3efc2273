import * as fs from 'fs';
import * as path from 'path';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import mongoose from 'mongoose';
import { taskQueue } from '../../libs/config/config';
import { bundleFile } from '../../libs/temporal/workflow-bundles';
import { ConfirmResult, Decision, typologySchema } from '../../libs/domain/typology';
import { USER_RECORD_MODEL, userRecordSchema } from '../../libs/persistence/user-records/user-record.schema';
import { UserRecordsRepository } from '../../libs/persistence/user-records/user-records.repository';
import { standaloneTypology } from '../../libs/typology/standalone-decider';
import { userLedgerKey } from '../../libs/typology/typology-decider';
import { UserLedgerState } from '../../libs/typology/user-ledger';
import { ROOT } from '../support/global-setup';
import { dropDb, openDb, temporalClient, testEnv } from '../support/test-env';
import { WorkerProcess } from '../support/worker-process';

const NOW = Date.UTC(2030, 0, 15, 12);
type StepResult = { decision: Decision; confirmed: ConfirmResult | null; released: boolean };

/**
 * decideSend / confirmSend / releaseSend as journeys run them: activities on the journeys task
 * queue, called from a workflow step, on two real worker processes racing for one user's slots.
 */
describe('typology activities on two worker processes (real Temporal, real FerretDB)', () => {
  const { cfg, env } = testEnv('typology-workers');
  const bundleDir = path.join(ROOT, '.data', 'test', `typology-workers-${process.pid}`);
  let db: mongoose.Connection;
  let client: Client;
  let workers: WorkerProcess[] = [];

  const runSteps = async (prefix: string, inputs: { messageId: string; userId: string; typologyId: string; send?: 'succeeds' | 'fails' }[]) => {
    const handles = await Promise.all(
      inputs.map((s) =>
        client.workflow.start('sendStep', {
          taskQueue: taskQueue(cfg, 'journeys'),
          workflowId: `${cfg.TASK_QUEUE_PREFIX}/${prefix}/${s.messageId}`,
          args: [{ decide: { userId: s.userId, message: { id: s.messageId, typologyId: s.typologyId, channel: 'email' }, at: NOW }, send: s.send ?? 'succeeds' }],
        }),
      ),
    );
    const results = await Promise.all(handles.map((h) => h.result() as Promise<StepResult>));
    return { handles, results };
  };

  beforeAll(async () => {
    // This file's bundle: the production workflows plus the send step above.
    const { code } = await bundleWorkflowCode({ workflowsPath: path.join(__dirname, 'workflows'), logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} } });
    fs.mkdirSync(bundleDir, { recursive: true });
    fs.writeFileSync(bundleFile(bundleDir, 'journeys'), code);
    db = await openDb(cfg);
    client = await temporalClient(cfg);
    const t = standaloneTypology(db);
    await t.typologies.create(typologySchema.parse({ id: 'weekly-drop', name: 'Three a week', rules: [{ type: 'pressure', name: 'weekly', maxMessages: 3, window: { amount: 7, unit: 'days' } }] }));
    const users = new UserRecordsRepository(db.model(USER_RECORD_MODEL, userRecordSchema));
    await users.appendProfiles([{ id: 'u-two-procs', email: 'two@example.test' }, { id: 'u-fails', email: 'fails@example.test' }]);
    workers = await Promise.all([0, 1].map(() => WorkerProcess.start({ ...env, WORKER_QUEUES: 'journeys', WORKFLOW_BUNDLE_DIR: bundleDir })));
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await client?.connection.close();
    await dropDb(db);
    fs.rmSync(bundleDir, { recursive: true, force: true });
  });

  it('50 concurrent send steps for one user over two worker processes with 3 per 7 days: exactly 3 are sent, the rest suppressed by the rule', async () => {
    const { handles, results } = await runSteps(
      'burst',
      Array.from({ length: 50 }, (_, i) => ({ messageId: `burst-${i}`, userId: 'u-two-procs', typologyId: 'weekly-drop' })),
    );
    const sent = results.filter((r) => r.decision.outcome === 'send');
    expect(sent).toHaveLength(3);
    for (const r of sent) expect(r.confirmed).toEqual({ confirmed: true });
    for (const r of results.filter((x) => x.decision.outcome !== 'send')) {
      expect(r.decision).toEqual({ outcome: 'suppress', rule: 'weekly', ruleType: 'pressure', reason: 'pressure cap 3 per 7 days reached' });
    }
    const ledger = await standaloneTypology(db).ledger.state<UserLedgerState>(userLedgerKey('u-two-procs'));
    expect(ledger!.entries).toHaveLength(3);
    expect(ledger!.entries.every((e) => e.ok)).toBe(true);

    // The decisions really ran in both processes: the workers' identities (pid@host) on the activity tasks.
    const identities = new Set<string>();
    for (const h of handles) {
      const { events } = await h.fetchHistory();
      for (const e of events ?? []) if (e.activityTaskStartedEventAttributes?.identity) identities.add(e.activityTaskStartedEventAttributes.identity.split('@')[0]);
    }
    expect([...identities].sort()).toEqual(workers.map((w) => String(w.pid)).sort());
  });

  it('a send that finally fails releases its reservation, and the slot goes to the next message', async () => {
    const first = await runSteps('fails', [1, 2, 3].map((i) => ({ messageId: `f-${i}`, userId: 'u-fails', typologyId: 'weekly-drop', send: i === 2 ? ('fails' as const) : ('succeeds' as const) })));
    expect(first.results.map((r) => [r.decision.outcome, r.released])).toEqual([['send', false], ['send', true], ['send', false]]);
    const ledger = await standaloneTypology(db).ledger.state<UserLedgerState>(userLedgerKey('u-fails'));
    expect(ledger!.entries.map((e) => e.m).sort()).toEqual(['f-1', 'f-3']);
    const next = await runSteps('fails', [4, 5].map((i) => ({ messageId: `f-${i}`, userId: 'u-fails', typologyId: 'weekly-drop' })));
    expect(next.results.map((r) => r.decision.outcome).sort()).toEqual(['send', 'suppress']);
    // Decided and confirmed in either process, right after the other released: neither answers from stale memory.
    expect(next.results.find((r) => r.decision.outcome === 'send')!.confirmed).toEqual({ confirmed: true });
    const log = await standaloneTypology(db).decisions.forMessage('f-2');
    expect(log.map((r) => [r.outcome, r.reason])).toEqual([['send', 'reserved'], ['released', 'provider refused the message']]);
  });

  it('bad input fails the step at once, naming why (no retries)', async () => {
    const handle = await client.workflow.start('sendStep', {
      taskQueue: taskQueue(cfg, 'journeys'),
      workflowId: `${cfg.TASK_QUEUE_PREFIX}/bad/1`,
      args: [{ decide: { userId: 'nobody', message: { id: 'b-1', typologyId: 'weekly-drop', channel: 'email' }, at: NOW }, send: 'succeeds' }],
    });
    await expect(handle.result()).rejects.toMatchObject({ cause: { cause: { type: 'UnknownUser', message: 'no user with id nobody' } } });
    const { events } = await handle.fetchHistory();
    expect(events!.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt)).toEqual([1]);
  });
});
