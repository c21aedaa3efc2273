import { deploymentMarker } from './prediction-schedules';

describe('deploymentMarker', () => {
  it('names the deployment by its task-queue prefix and database, never by credentials or host', () => {
    expect(deploymentMarker({ TASK_QUEUE_PREFIX: 'tenant-a', MONGODB_URI: 'mongodb://user:secret@db.example:27017/propensity?tls=true' })).toBe('tenant-a@propensity');
    expect(deploymentMarker({ TASK_QUEUE_PREFIX: '', MONGODB_URI: 'mongodb://127.0.0.1:27017/other' })).toBe('@other');
  });

  it('tells apart deployments that share a prefix but not a database', () => {
    const a = deploymentMarker({ TASK_QUEUE_PREFIX: '', MONGODB_URI: 'mongodb://127.0.0.1:27017/a' });
    const b = deploymentMarker({ TASK_QUEUE_PREFIX: '', MONGODB_URI: 'mongodb://127.0.0.1:27017/b' });
    expect(a).not.toBe(b);
  });
});
