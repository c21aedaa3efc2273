import type { StoredReasons } from '../../domain/prediction-outputs';
import { compileExplainer, topContributionsParallel } from '../explain';
import { compileModel, GbdtModel, parseModel, predictMargins } from '../gbdt';
import { fitOnPurchases, PurchaseFit, PurchaseFitInput } from './purchase-models';
import { storedReasons } from './score';
import { TrainAndEvaluateInput, TrainedCandidate, TrainingProgress, trainAndEvaluate } from './train-and-evaluate';

/**
 * The CPU-heavy steps of the pipeline as plain data (structured-clone friendly: typed arrays, plain
 * objects, strings), so that they can run on another thread: a training, a lifetime-value or
 * recommendation fit, and the margins of a large scoring chunk.
 */
export type PipelineJob =
  | { kind: 'train'; input: Omit<TrainAndEvaluateInput, 'onProgress'> }
  | { kind: 'purchases'; input: PurchaseFitInput }
  | {
      kind: 'margins';
      /** The serialized model (as stored); compiled where the job runs. */
      modelJson: string;
      /** Column-major, as built by buildScoringSet. */
      x: Float32Array;
      n: number;
      numThreads: number;
    }
  | {
      /** Margins and each row's top `reasons` contributions (TreeSHAP): a yes/no scoring chunk with its reasons. */
      kind: 'scores';
      modelJson: string;
      x: Float32Array;
      n: number;
      numThreads: number;
      reasons: number;
    };

/** A scoring chunk's margins and stored reasons (null for a model that cannot be explained). */
export interface ScoredChunk {
  margins: Float64Array;
  reasons: StoredReasons[] | null;
}

export type PipelineResult<J extends PipelineJob> = J extends { kind: 'train' }
  ? TrainedCandidate
  : J extends { kind: 'purchases' }
    ? PurchaseFit
    : J extends { kind: 'scores' }
      ? Promise<ScoredChunk>
      : Float64Array;

/** Runs a job on the calling thread; `onProgress` gets what trainAndEvaluate reports. */
export function runPipelineJob<J extends PipelineJob>(job: J, onProgress?: (progress: TrainingProgress) => void): PipelineResult<J> {
  if (job.kind === 'train') return trainAndEvaluate({ ...job.input, onProgress }) as PipelineResult<J>;
  if (job.kind === 'purchases') return fitOnPurchases(job.input) as PipelineResult<J>;
  const model = parseModel(job.modelJson);
  const margins = predictMargins(compileModel(model), job.x, job.n, undefined, { numThreads: job.numThreads });
  if (job.kind === 'margins') return margins as PipelineResult<J>;
  return explainTop(model, job.x, job.n, job.reasons, job.numThreads).then((reasons) => ({ margins, reasons })) as PipelineResult<J>;
}

/**
 * Each row's top k contributions as stored with its score (on `threads` threads from
 * PARALLEL_EXPLAIN_MIN_ROWS rows); null for a model stored before trees recorded their leaf covers
 * (it scores without reasons).
 */
export async function explainTop(model: GbdtModel, x: Float32Array, n: number, k: number, threads = 1): Promise<StoredReasons[] | null> {
  let explainer;
  try {
    explainer = compileExplainer(model);
  } catch {
    return null;
  }
  return storedReasons(await topContributionsParallel(explainer, x, n, k, threads), x);
}

/** Buffers of a job's or result's typed arrays that may move to the other thread instead of being copied. */
export function transferables(value: PipelineJob | TrainedCandidate | ScoredChunk | PurchaseFit | Float64Array): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = value instanceof Float64Array ? [value] : 'margins' in value ? [value.margins] : 'kind' in value ? jobArrays(value) : [];
  // Only buffers the array owns whole (never a view into a pool or a shared buffer); the tag, not
  // instanceof, because arrays may come from another realm (a vm context, a test runner).
  const owned = (a: ArrayBufferView) => Object.prototype.toString.call(a.buffer) === '[object ArrayBuffer]' && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength;
  return arrays.filter(owned).map((a) => a.buffer as ArrayBuffer);
}

function jobArrays(value: PipelineJob | PurchaseFit): ArrayBufferView[] {
  switch (value.kind) {
    case 'train':
      return [value.input.x, value.input.y];
    case 'purchases':
      return [value.input.table.X];
    case 'margins':
    case 'scores':
      return [value.x];
    default:
      // A fit's result: plain objects and strings.
      return [];
  }
}
