import { ConfigError, loadConfig, taskQueue } from './config';

describe('loadConfig', () => {
  it('needs no variable for the embedded defaults', () => {
    const cfg = loadConfig({});
    expect(cfg.MONGODB_URI).toBe('mongodb://127.0.0.1:27017/propensity');
    expect(cfg.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(cfg.API_PORT).toBe(3000);
    expect(taskQueue(cfg, 'ml')).toBe('propensity-ml');
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
