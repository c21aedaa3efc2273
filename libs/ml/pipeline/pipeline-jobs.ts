import { compileModel, parseModel, predictMargins } from '../gbdt';
import { TrainAndEvaluateInput, TrainedCandidate, TrainingProgress, trainAndEvaluate } from './train-and-evaluate';

/**
 * The CPU-heavy steps of the pipeline as plain data (structured-clone friendly: typed arrays, plain
 * objects, strings), so that they can run on another thread: a training, and the margins of a large
 * scoring chunk.
 */
export type PipelineJob =
  | { kind: 'train'; input: Omit<TrainAndEvaluateInput, 'onProgress'> }
  | {
      kind: 'margins';
      /** The serialized model (as stored); compiled where the job runs. */
      modelJson: string;
      /** Column-major, as built by buildScoringSet. */
      x: Float32Array;
      n: number;
      numThreads: number;
    };

export type PipelineResult<J extends PipelineJob> = J extends { kind: 'train' } ? TrainedCandidate : Float64Array;

/** Runs a job on the calling thread; `onProgress` gets what trainAndEvaluate reports. */
export function runPipelineJob<J extends PipelineJob>(job: J, onProgress?: (progress: TrainingProgress) => void): PipelineResult<J> {
  if (job.kind === 'train') return trainAndEvaluate({ ...job.input, onProgress }) as PipelineResult<J>;
  return predictMargins(compileModel(parseModel(job.modelJson)), job.x, job.n, undefined, { numThreads: job.numThreads }) as PipelineResult<J>;
}

/** Buffers of a job's or result's typed arrays that may move to the other thread instead of being copied. */
export function transferables(value: PipelineJob | TrainedCandidate | Float64Array): ArrayBuffer[] {
  const arrays: ArrayBufferView[] =
    value instanceof Float64Array ? [value] : 'kind' in value ? (value.kind === 'train' ? [value.input.x, value.input.y] : [value.x]) : [];
  // Only buffers the array owns whole (never a view into a pool or a shared buffer); the tag, not
  // instanceof, because arrays may come from another realm (a vm context, a test runner).
  const owned = (a: ArrayBufferView) => Object.prototype.toString.call(a.buffer) === '[object ArrayBuffer]' && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength;
  return arrays.filter(owned).map((a) => a.buffer as ArrayBuffer);
}
