import * as os from 'os';
import * as path from 'path';
import { z } from 'zod';
import { projectRoot } from './project-root';

const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .transform((v) => v === 'true' || v === '1');
const port = z.coerce.number().int().min(1).max(65535);

/**
 * Every setting Propensity reads, with its default. Embedded defaults need no variable at all:
 * the dev Temporal server and FerretDB that `npm run infra:up` starts on this machine.
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  API_PORT: port.default(3000),
  /** The address the API listens on: loopback only unless opened (e.g. 0.0.0.0 behind a proxy). */
  API_HOST: z.string().min(1).default('127.0.0.1'),
  /** How long a checked API key is trusted without reading it again (a revoked key works that long on other processes). */
  API_KEY_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  /** The API's wait for MongoDB before answering 503 (server selection; commands are never queued). */
  API_MONGODB_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  /** The API's wait for Temporal within one request before answering 503 (the client would retry for 20 s or more). */
  API_TEMPORAL_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(5000),
  /** Requests a minute per API key on ingestion routes (users, events, imports), bursts up to as many. */
  RATE_LIMIT_INGEST_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Failed authentications a minute per client address; beyond it every request from there gets 429. */
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /** JSON body cap of bulk ingestion routes (POST /v1/users, /v1/events). */
  BODY_LIMIT_BULK_BYTES: z.coerce.number().int().min(1024).max(1024 ** 3).default(5 * 1024 ** 2),
  /** JSON body cap of every other route (configuration). */
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(1024 ** 3).default(64 * 1024),
  /** Size cap of one uploaded import file (POST /v1/imports/upload). */
  IMPORT_UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).max(1024 ** 4).default(1024 ** 3),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .default('mongodb://127.0.0.1:27017/propensity'),
  TEMPORAL_ADDRESS: z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port').default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_TLS: bool.default('false'),
  TEMPORAL_TLS_CERT_PATH: z.string().optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().optional(),
  TEMPORAL_TLS_CA_PATH: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  TEMPORAL_UI_URL: z.string().url().default('http://localhost:8233'),
  /** Prepended to task queue names, so parallel test runs or tenants never share workers. */
  TASK_QUEUE_PREFIX: z.string().regex(/^[a-z0-9-]*$/, 'lowercase letters, digits and dashes only').default(''),
  /**
   * Folder of the prebuilt workflow bundles (`workflow-bundle-<queue>.js`, one per task queue); when
   * absent the worker bundles `workflows/<queue>.ts` at start (development), or uses `dist/` in production.
   */
  WORKFLOW_BUNDLE_DIR: z.string().optional(),
  /** The task queues this worker process serves (comma-separated): `ml`, `journeys` or both. */
  WORKER_QUEUES: z
    .string()
    .default('ml,journeys')
    .transform((v) => [...new Set(v.split(',').map((q) => q.trim()).filter(Boolean))])
    .pipe(z.array(z.enum(['ml', 'journeys'])).min(1, 'name at least one of ml, journeys')),
  /** Activities at once on the ml queue per worker process (CPU-heavy: each training uses ML_THREADS threads). */
  WORKER_ML_MAX_ACTIVITIES: z.coerce.number().int().min(1).max(1000).default(4),
  WORKER_ML_MAX_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(1000).default(10),
  /** Activities at once on each served queue's control queue per worker process (short steps: libs/temporal/control-queue.ts). */
  WORKER_CONTROL_MAX_ACTIVITIES: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Activities at once on the journeys queue per worker process (sends and decisions: I/O-bound). */
  WORKER_JOURNEYS_MAX_ACTIVITIES: z.coerce.number().int().min(1).max(10_000).default(100),
  WORKER_JOURNEYS_MAX_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(1000).default(40),
  /** How long in-flight activities may finish after SIGTERM before they are cancelled (then retried elsewhere). */
  WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  /**
   * At most how often an activity's heartbeat (its checkpoint) reaches the server; unset: the SDK's 80%
   * of the heartbeat timeout (24 s for a scoring partition). Shorter: less work redone after a crash.
   */
  WORKER_HEARTBEAT_THROTTLE_SECONDS: z.coerce.number().min(0.1).max(3600).optional(),
  /** Port of the worker's Prometheus `/metrics` (the Temporal SDK's runtime metrics); 0 = off. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** Address the worker's metrics listen on (loopback unless a scraper elsewhere needs it). */
  WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** Threads one training or scoring step uses (default: the machine's cores). */
  ML_THREADS: z.coerce
    .number()
    .int()
    .min(1)
    .max(256)
    .default(() => (typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length)),
  /**
   * CPU-heavy steps (a training, a scoring chunk) running at once per worker process; more wait their
   * turn (heartbeating), so at most ML_CPU_JOBS x ML_THREADS threads compute at once.
   */
  ML_CPU_JOBS: z.coerce.number().int().min(1).max(64).default(2),
  /**
   * Partitions a rescore works on at once (scheduled and after a promotion). Measured at 1M users on
   * 2 cores: 2 took 299 s, 4 took 355 s (reads, prediction and writes then contend for the same cores).
   */
  RESCORE_PARALLELISM: z.coerce.number().int().min(1).max(64).default(2),
  /**
   * Files the API may import must be inside this folder (real paths: a link out of it is refused) and
   * uploads are written here; the CLI may import any readable file. Created when the API starts.
   */
  IMPORT_DIR: z
    .string()
    .min(1)
    .transform((d) => path.resolve(d))
    .default(path.join(projectRoot(), '.data', 'imports')),
  IMPORT_LINES_PER_ACTIVITY: z.coerce.number().int().min(1).max(1_000_000).default(20_000),
  IMPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1_000),
  /**
   * Users a rescore predicts and writes at once (whole slots, so a chunk may hold a slot's worth more):
   * memory holds two chunks. Unset: the fewest rows predicted on several threads (32,768).
   */
  RESCORE_CHUNK_USERS: z.coerce.number().int().min(1).max(1_000_000).optional(),
  /** How long a replaced score set stays readable (readers that started on it finish) before it is dropped. */
  SCORE_SET_GRACE_SECONDS: z.coerce.number().int().min(0).max(7 * 86_400).default(900),
  /** How often a segment reading profiles, events or the clock is re-evaluated when nothing signals it. */
  SEGMENT_REFRESH_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(60),
  /**
   * Ingestion (users, events, imports) signals the segments reading what was stored at most once per
   * this many seconds per process: a stream of requests starts one evaluation per period, not one each.
   */
  SEGMENT_INGESTION_DEBOUNCE_SECONDS: z.coerce.number().min(0).max(86_400).default(60),
  /** How long a segment's replaced member buckets stay readable (readers holding the previous version finish) before they are deleted. */
  SEGMENT_BUCKET_GRACE_SECONDS: z.coerce.number().min(0).max(7 * 86_400).default(3600),
  /** How long segment membership changes (entered/left events) are kept; the current version's always are. Fractions allowed. */
  SEGMENT_CHANGES_RETENTION_DAYS: z.coerce.number().min(0).max(3650).default(30),
  /** When the optimizeSendTimes schedule recomputes every user's best hours: daily at HH:MM UTC, or `off` (no schedule). */
  SEND_TIME_OPTIMIZE_AT: z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|off)$/, 'must be HH:MM (UTC) or off').default('02:30'),
});

export type AppConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses the environment; a bad value fails with a message naming the variable and the reason. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const cfg = result.data;
  if ((cfg.TEMPORAL_TLS_CERT_PATH === undefined) !== (cfg.TEMPORAL_TLS_KEY_PATH === undefined)) {
    throw new ConfigError('Invalid configuration:\n  TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together');
  }
  return cfg;
}

export const TASK_QUEUES = { ml: 'propensity-ml', journeys: 'propensity-journeys' } as const;
export type TaskQueueName = keyof typeof TASK_QUEUES;

export function taskQueue(cfg: Pick<AppConfig, 'TASK_QUEUE_PREFIX'>, name: TaskQueueName): string {
  return cfg.TASK_QUEUE_PREFIX ? `${cfg.TASK_QUEUE_PREFIX}-${TASK_QUEUES[name]}` : TASK_QUEUES[name];
}
