import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, loadConfig, taskQueue } from './config';

describe('loadConfig', () => {
  it('needs no variable for the embedded defaults', () => {
    const cfg = loadConfig({});
    expect(cfg.MONGODB_URI).toBe('mongodb://127.0.0.1:27017/propensity');
    expect(cfg.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(cfg.API_PORT).toBe(3000);
    expect(taskQueue(cfg, 'ml')).toBe('propensity-ml');
  });

  it('listens on loopback only and imports from the project\'s own data folder unless told otherwise', () => {
    const cfg = loadConfig({});
    expect(cfg.API_HOST).toBe('127.0.0.1');
    const root = path.resolve(__dirname, '..', '..');
    expect(fs.existsSync(path.join(root, 'package.json'))).toBe(true);
    expect(cfg.IMPORT_DIR).toBe(path.join(root, '.data', 'imports'));
    expect(loadConfig({ API_HOST: '0.0.0.0', IMPORT_DIR: 'rel/dir' })).toMatchObject({ API_HOST: '0.0.0.0', IMPORT_DIR: path.resolve('rel/dir') });
  });

  it('validates the limits', () => {
    expect(() => loadConfig({ RATE_LIMIT_INGEST_PER_MINUTE: '0' })).toThrow(/RATE_LIMIT_INGEST_PER_MINUTE/);
    expect(() => loadConfig({ BODY_LIMIT_BYTES: '5mb' })).toThrow(/BODY_LIMIT_BYTES: Expected number/);
    expect(() => loadConfig({ API_KEY_CACHE_SECONDS: '-1' })).toThrow(/API_KEY_CACHE_SECONDS/);
  });

  it('names the variable and the reason when a value is bad', () => {
    expect(() => loadConfig({ API_PORT: 'eighty' })).toThrow(/API_PORT: Expected number/);
    expect(() => loadConfig({ MONGODB_URI: 'postgres://x' })).toThrow(/MONGODB_URI: must start with mongodb:\/\//);
    expect(() => loadConfig({ TEMPORAL_TLS: 'yes' })).toThrow(ConfigError);
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_PATH: '/a.pem' })).toThrow(/must be set together/);
  });

  it('prefixes task queues so test runs never share workers', () => {
    expect(taskQueue(loadConfig({ TASK_QUEUE_PREFIX: 't1' }), 'journeys')).toBe('t1-propensity-journeys');
  });

  it('selects the worker queues, serving both by default, and refuses an unknown one', () => {
    expect(loadConfig({}).WORKER_QUEUES).toEqual(['ml', 'journeys']);
    expect(loadConfig({ WORKER_QUEUES: 'ml' }).WORKER_QUEUES).toEqual(['ml']);
    expect(loadConfig({ WORKER_QUEUES: ' journeys , journeys' }).WORKER_QUEUES).toEqual(['journeys']);
    expect(() => loadConfig({ WORKER_QUEUES: 'ml,sends' })).toThrow(/WORKER_QUEUES\.1: Invalid enum value/);
    expect(() => loadConfig({ WORKER_QUEUES: ',' })).toThrow(/WORKER_QUEUES: name at least one of ml, journeys/);
  });

  it('takes the threads from the machine unless told, and keeps worker metrics off by default', () => {
    const cfg = loadConfig({});
    expect(cfg.ML_THREADS).toBe(os.availableParallelism());
    expect(cfg.WORKER_METRICS_PORT).toBe(0);
    expect(loadConfig({ ML_THREADS: '3', WORKER_ML_MAX_ACTIVITIES: '2' })).toMatchObject({ ML_THREADS: 3, WORKER_ML_MAX_ACTIVITIES: 2 });
    expect(() => loadConfig({ ML_THREADS: '0' })).toThrow(/ML_THREADS/);
  });
});
