import { randomBytes } from 'crypto';
import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import { AppConfig, loadConfig } from '../../libs/config/config';
import { connectionOptions } from '../../libs/temporal/connection-options';
import { TEST_BUNDLE_DIR } from './global-setup';

/**
 * A fresh database and task-queue prefix for one test file, so files never see each other's data
 * or workers. The environment variables are set for this process (API/app contexts created in the
 * test) and passed to any worker process the test spawns.
 */
export function testEnv(name: string): { env: Record<string, string>; cfg: AppConfig } {
  const id = `${name}-${randomBytes(3).toString('hex')}`;
  const base = loadConfig();
  const uri = new URL(base.MONGODB_URI);
  uri.pathname = `/t_${id.replace(/-/g, '_')}`;
  const env = {
    MONGODB_URI: uri.toString(),
    TASK_QUEUE_PREFIX: `t-${id}`.toLowerCase(),
    WORKFLOW_BUNDLE_DIR: TEST_BUNDLE_DIR,
    LOG_LEVEL: 'warn',
    // No daily send-time schedule per test file on the shared server (the send-time test makes its own).
    SEND_TIME_OPTIMIZE_AT: 'off',
  };
  Object.assign(process.env, env);
  return { env, cfg: loadConfig() };
}

export async function temporalClient(cfg: AppConfig): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(cfg));
  return new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE });
}

/** A direct connection for assertions: what is really stored, independent of the code under test. */
export async function openDb(cfg: AppConfig): Promise<mongoose.Connection> {
  return mongoose.createConnection(cfg.MONGODB_URI).asPromise();
}

export async function dropDb(conn: mongoose.Connection): Promise<void> {
  await conn.dropDatabase();
  await conn.close();
}
