import { hostname } from 'os';
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { taskQueue, TaskQueueName } from '../../libs/config/config';
import { controlQueue } from '../../libs/temporal/control-queue';
import { eventually } from '../support/eventually';
import { freePort } from '../support/free-port';
import { temporalClient, testEnv } from '../support/test-env';
import { WorkerProcess } from '../support/worker-process';

const { TaskQueueType } = temporal.api.enums.v1;

describe('WORKER_QUEUES: a worker process per task queue (real Temporal)', () => {
  const { env, cfg } = testEnv('queues');
  let client: Client;
  let ml: WorkerProcess;
  let journeys: WorkerProcess;
  let metricsPort: number;

  beforeAll(async () => {
    client = await temporalClient(cfg);
    metricsPort = await freePort();
    [ml, journeys] = await Promise.all([
      WorkerProcess.start({ ...env, WORKER_QUEUES: 'ml', WORKER_METRICS_PORT: String(metricsPort) }),
      WorkerProcess.start({ ...env, WORKER_QUEUES: 'journeys' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([ml?.stop(), journeys?.stop()]);
    await client?.connection.close();
  });

  /** The worker identities (`<pid>@<host>`, the SDK's default) polling a queue (or its control queue) for one kind of task. */
  async function pollers(queue: TaskQueueName, type: temporal.api.enums.v1.TaskQueueType, control = false): Promise<string[]> {
    const name = control ? controlQueue(taskQueue(cfg, queue)) : taskQueue(cfg, queue);
    const res = await client.workflowService.describeTaskQueue({ namespace: cfg.TEMPORAL_NAMESPACE, taskQueue: { name }, taskQueueType: type });
    return (res.pollers ?? []).map((p) => p.identity ?? '').sort();
  }

  it('each process polls its own queue only, for workflow and activity tasks', async () => {
    const mlId = `${ml.pid}@${hostname()}`;
    const journeysId = `${journeys.pid}@${hostname()}`;
    const listed = (queue: TaskQueueName, type: temporal.api.enums.v1.TaskQueueType, control = false) =>
      // The server lists a poller once it has polled; both have started, so both show up in time.
      eventually(async () => ((await pollers(queue, type, control)).length ? pollers(queue, type, control) : undefined), 30_000, `${queue} pollers`);
    expect(await listed('ml', TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)).toEqual([mlId]);
    expect(await listed('ml', TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)).toEqual([mlId]);
    expect(await listed('journeys', TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)).toEqual([journeysId]);
    // Journeys activities (typology decisions, sends) poll only once registered; the ml process never does.
    expect(await pollers('journeys', TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)).not.toContain(mlId);
    // Each process serves its queue's control queue too (the short steps of its workflows), for activities only.
    expect(await listed('ml', TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY, true)).toEqual([mlId]);
    expect(await listed('journeys', TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY, true)).toEqual([journeysId]);
    expect(await pollers('ml', TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, true)).toEqual([]);
    expect(ml.log).toMatch(new RegExp(`"taskQueues":\\["${taskQueue(cfg, 'ml')}"\\]`));
    expect(journeys.log).toMatch(new RegExp(`"taskQueues":\\["${taskQueue(cfg, 'journeys')}"\\]`));
  });

  it('a workflow started on the journeys queue is not run by the ml worker', async () => {
    const handle = await client.workflow.start('rescoreUsers', {
      taskQueue: taskQueue(cfg, 'journeys'),
      workflowId: `${env.TASK_QUEUE_PREFIX}/wrong-queue`,
      args: [{ predictionId: 'p_000000nowhere', modelVersion: 1 }],
      workflowTaskTimeout: '2 seconds',
    });
    // The journeys bundle has no rescoreUsers: its workflow task fails there, and the ml worker,
    // which has the type, never sees the task. The run stays open with a failed workflow task.
    const failed = await eventually(
      async () => {
        const events = (await handle.fetchHistory()).events ?? [];
        return events.some((e) => e.workflowTaskFailedEventAttributes) ? events : undefined;
      },
      30_000,
      'the failed workflow task on the journeys worker',
    );
    const identities = failed.flatMap((e) => [e.workflowTaskStartedEventAttributes?.identity, e.workflowTaskFailedEventAttributes?.identity]).filter(Boolean);
    expect(new Set(identities)).toEqual(new Set([`${journeys.pid}@${hostname()}`]));
    expect(failed.some((e) => e.activityTaskScheduledEventAttributes)).toBe(false);
    await handle.terminate('test done');
  });

  it('the worker serves the Temporal SDK metrics for Prometheus on WORKER_METRICS_PORT', async () => {
    const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    // Per task queue: slots and pollers of this worker's queue (a counter of the SDK's runtime).
    expect(text).toMatch(new RegExp(`temporal_[a-z_]+\\{[^}]*task_queue="${taskQueue(cfg, 'ml')}"`));
    expect(text).not.toContain(taskQueue(cfg, 'journeys'));
  });
});
