import * as fs from 'fs';
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
});
