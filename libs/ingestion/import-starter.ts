import { createHash } from 'crypto';
import { createReadStream } from 'fs';
import { stat } from 'fs/promises';
import * as path from 'path';
import { Client, WorkflowHandle } from '@temporalio/client';
import { AppConfig, taskQueue } from '../config/config';
import { ImportEventsInput, ImportEventsWorkflow } from '../domain/import';
import { ImportSpec } from '../domain/import-spec';
import { ImportFileKey } from '../temporal/search-attributes';
import { deploymentIds } from '../temporal/workflow-ids';

async function fileHash(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, 24);
}

export class ImportFileError extends Error {}

/**
 * Starts the import workflow for a file, or attaches to the run already importing the same content
 * (the workflow ID is the content hash, so one file is never imported twice at once).
 */
export async function startImport(
  client: Client,
  cfg: AppConfig,
  file: string,
  spec: ImportSpec,
  options: Pick<ImportEventsInput, 'chunksPerRun'> = {},
): Promise<{ handle: WorkflowHandle<ImportEventsWorkflow>; workflowId: string; importId: string }> {
  const absolute = path.resolve(file);
  const info = await stat(absolute).catch(() => undefined);
  if (!info?.isFile()) throw new ImportFileError(`${absolute} is not a readable file`);
  const importId = await fileHash(absolute);
  const fileName = path.basename(absolute);
  const input: ImportEventsInput = {
    importId,
    path: absolute,
    fileName,
    fileBytes: info.size,
    spec,
    linesPerActivity: cfg.IMPORT_LINES_PER_ACTIVITY,
    batchSize: cfg.IMPORT_BATCH_SIZE,
    ...options,
  };
  const workflowId = deploymentIds(cfg).importEvents(importId);
  const handle = await client.workflow.start<ImportEventsWorkflow>('importEvents', {
    workflowId,
    taskQueue: taskQueue(cfg, 'ml'),
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: [{ key: ImportFileKey, value: fileName }],
    memo: { purpose: `Import events from ${fileName}`, format: spec.format },
    staticSummary: `Import ${fileName} (${spec.format}, ${(info.size / 1024).toFixed(0)} KiB)`,
    staticDetails: `Imports events from \`${absolute}\` into the events collection. Malformed lines are kept in \`import_issues\` with their line numbers.`,
  });
  return { handle, workflowId, importId };
}
