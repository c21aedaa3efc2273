import { exactHessian, QuantizationPlan, quantizedGradients } from './gradient-quantizer';
import { binAt, BinRows, HIST_STRIDE, histogramKernel, HistogramKernel } from './histogram';
import { partitionByFlag, partitionPositions, PositionArrays } from './partition';
import { arenaKernels, TrainingArena } from './training-arena';

/**
 * Everything a boosting round reads and writes, on shared memory so worker threads can take part.
 * Positions are cut into a fixed number of shards (set by the table size, not the thread count); each
 * shard keeps its rows ordered by leaf on its own, so a split partitions every shard independently and
 * nothing has to be joined. A job (histogram, split, leaf sums, gradients, sampling) is done shard by
 * shard, each shard by whichever thread claims it; per-shard results are combined in shard order and
 * histograms are exact integer sums, so the model does not depend on the thread count.
 */
export interface TrainingState extends PositionArrays {
  columns: number;
  plan: QuantizationPlan;
  shards: number;
  maxLeaves: number;
  /** Shard s holds positions [shardStart[s], shardStart[s+1]). */
  shardStart: Int32Array;
  /** In-bag positions of shard s: [shardStart[s], bagEnd[s]). */
  bagEnd: Int32Array;
  /** Range of leaf l in shard s: [leafStart[l*shards + s], leafEnd[l*shards + s]). */
  leafStart: Int32Array;
  leafEnd: Int32Array;
  /** A split not applied to leaf l's rows (both its children are final, so rows are routed instead), or -1. */
  leafDeferred: Int32Array;
  /** The tree being grown: column, children (~leaf for a leaf) and go-left flags by bin (256 per node). */
  nodeColumn: Int32Array;
  nodeLeft: Int32Array;
  nodeRight: Int32Array;
  nodeGoLeft: Uint8Array;
  leafValue: Float64Array;
  /** Exact gradient and hessian sums per shard and leaf, at ((s*maxLeaves + l) * 2). */
  leafSums: Float64Array;
  shardLoss: Float64Array;
  /** A byte per position: in-bag flags for a sampling job, go-left sides in a deferred range. */
  scratch: Uint8Array;
  /** A thread's own pair of leaf values for a deferred margin update (see gradientsShard). */
  sideValues: Float64Array;
  /** One histogram per thread (0 = the main thread). */
  threadHists: Float64Array[];
  /** The shared WebAssembly memory that holds the arrays the kernels touch, and its kernels (training-arena.ts); or null (JavaScript kernels). */
  arena: Pick<TrainingArena, 'memory' | 'module'> | null;
  /** The current job: its kind and arguments at the J_ indices. */
  job: Int32Array;
}

// Layout of `job`.
/** Next shard to claim (Atomics.add). */
export const J_CLAIM = 0;
export const J_KIND = 1;
export const J_LEAF = 2;
export const J_NEW_LEAF = 3;
export const J_NODE = 4;
/** 1: the split job builds the left child's histogram, 0: the right one's. */
export const J_HIST_LEFT = 5;
export const J_NUM_LEAVES = 6;
export const J_WITH_LOSS = 7;
export const J_ROUND_SEED = 8;
export const JOB_SIZE = 9;

/** Histogram of leaf J_LEAF into the thread's histogram. */
export const JOB_HISTOGRAM = 0;
/** Partition leaf J_LEAF by node J_NODE (right rows become leaf J_NEW_LEAF), then one child's histogram (J_HIST_LEFT). */
export const JOB_SPLIT = 1;
/** Exact gradient and hessian sums of leaves [0, J_NUM_LEAVES). */
export const JOB_LEAF_SUMS = 2;
/** Add the tree's leaf values (J_NUM_LEAVES leaves; 0 = no tree) to every margin, then new gradients. */
export const JOB_GRADIENTS = 3;
/** Move in-bag positions (scratch = 1) to the front of each shard. */
export const JOB_SAMPLE = 4;


function sharedBuffer(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(8, bytes));
}

/**
 * Allocates the state for the n positions of `rows` (shared bin rows, or those of `arena`, which then
 * also holds the other arrays its kernels touch; labels and margins are filled by the caller).
 */
export function createTrainingState(
  rows: BinRows, n: number, columns: number, plan: QuantizationPlan, maxLeaves: number, threads: number, shards: number, arena: TrainingArena | null,
): TrainingState {
  const f64 = (len: number) => new Float64Array(sharedBuffer(8 * len), 0, len);
  const i32 = (len: number) => new Int32Array(sharedBuffer(4 * len), 0, len);
  const u8 = (len: number) => new Uint8Array(sharedBuffer(len), 0, len);
  const shardStart = i32(shards + 1);
  for (let s = 0; s <= shards; s++) shardStart[s] = Math.floor((s * n) / shards);
  const bagEnd = i32(shards);
  bagEnd.set(shardStart.subarray(1));
  return {
    rows,
    gq: arena ? arena.gq : f64(n),
    g: arena ? arena.g : f64(n),
    margin: arena ? arena.margin : f64(n),
    y: arena ? arena.y : u8(n),
    columns,
    plan,
    shards,
    maxLeaves,
    shardStart,
    bagEnd,
    leafStart: i32(maxLeaves * shards),
    leafEnd: i32(maxLeaves * shards),
    leafDeferred: i32(maxLeaves).fill(-1),
    nodeColumn: i32(maxLeaves),
    nodeLeft: i32(maxLeaves),
    nodeRight: i32(maxLeaves),
    nodeGoLeft: arena ? arena.nodeGoLeft : u8(256 * maxLeaves),
    leafValue: f64(maxLeaves),
    leafSums: f64(2 * maxLeaves * shards),
    shardLoss: f64(shards),
    scratch: u8(n),
    sideValues: new Float64Array(2),
    threadHists: arena ? arena.threadHists : Array.from({ length: threads }, () => f64(columns * HIST_STRIDE)),
    arena: arena ? { memory: arena.memory, module: arena.module } : null,
    job: i32(JOB_SIZE),
  };
}

/** Does this thread's part of the current job: claims shards until none is left. */
export function runJob(st: TrainingState, thread: number): void {
  const { job } = st;
  const kind = job[J_KIND];
  const hist = st.threadHists[thread];
  if (kind === JOB_HISTOGRAM || kind === JOB_SPLIT) hist.fill(0);
  for (let s = Atomics.add(job, J_CLAIM, 1); s < st.shards; s = Atomics.add(job, J_CLAIM, 1)) {
    if (kind === JOB_HISTOGRAM) histogramShard(st, hist, s);
    else if (kind === JOB_SPLIT) splitShard(st, hist, s);
    else if (kind === JOB_LEAF_SUMS) leafSumsShard(st, s);
    else if (kind === JOB_GRADIENTS) gradientsShard(st, s);
    else if (kind === JOB_SAMPLE) st.bagEnd[s] = partitionByFlag(st, st.scratch, st.shardStart[s], st.shardStart[s + 1]);
  }
}

/** The histogram kernel of this thread for the state. */
function kernelOf(st: TrainingState): HistogramKernel {
  return st.arena ? arenaKernels(st.arena).histogram : histogramKernel(st.columns);
}

function histogramShard(st: TrainingState, hist: Float64Array, s: number): void {
  const i = st.job[J_LEAF] * st.shards + s;
  kernelOf(st)(st.rows.words, st.gq, hist, st.leafStart[i], st.leafEnd[i]);
}

function splitShard(st: TrainingState, hist: Float64Array, s: number): void {
  const { job, shards, leafStart, leafEnd } = st;
  const node = job[J_NODE];
  const i = job[J_LEAF] * shards + s;
  const r = job[J_NEW_LEAF] * shards + s;
  const start = leafStart[i];
  const end = leafEnd[i];
  const col = st.nodeColumn[node];
  const boundary = st.arena
    ? arenaKernels(st.arena).partition(col, 256 * node, start, end)
    : partitionPositions(st, col, st.nodeGoLeft, 256 * node, start, end);
  leafEnd[i] = boundary;
  leafStart[r] = boundary;
  leafEnd[r] = end;
  if (job[J_HIST_LEFT] === 1) kernelOf(st)(st.rows.words, st.gq, hist, start, boundary);
  else kernelOf(st)(st.rows.words, st.gq, hist, boundary, end);
}

/**
 * Sets scratch[k] to whether position k of [start, end) goes left (1) at node d, the split deferred
 * in that range (see TrainingState.leafDeferred).
 */
function deferredSides(st: TrainingState, d: number, start: number, end: number): void {
  const { words, wordsPerRow } = st.rows;
  const col = st.nodeColumn[d];
  const w = col >> 2;
  const shift = (col & 3) << 3;
  const goLeft = st.nodeGoLeft;
  const at = 256 * d;
  const side = st.scratch;
  for (let k = start; k < end; k++) side[k] = goLeft[at + ((words[k * wordsPerRow + w] >>> shift) & 255)];
}

function leafSumsShard(st: TrainingState, s: number): void {
  const { g, y, leafSums, shards, scratch: side } = st;
  const numLeaves = st.job[J_NUM_LEAVES];
  const base = 2 * s * st.maxLeaves;
  leafSums.fill(0, base, base + 2 * numLeaves);
  for (let l = 0; l < numLeaves; l++) {
    const start = st.leafStart[l * shards + s];
    const end = st.leafEnd[l * shards + s];
    const d = st.leafDeferred[l];
    // Sums of the rows going left (or all of them) and right.
    let gl = 0;
    let hl = 0;
    let gr = 0;
    let hr = 0;
    if (d < 0) {
      for (let k = start; k < end; k++) {
        gl += g[k];
        hl += exactHessian(g[k], y[k]);
      }
    } else {
      deferredSides(st, d, start, end);
      // Sides are random: multiplying by 0/1 instead of branching saves a mispredicted branch per row
      // (and gives the same sums: x + ±0 is x).
      for (let k = start; k < end; k++) {
        const gk = g[k];
        const hk = exactHessian(gk, y[k]);
        const l1 = side[k];
        const r1 = 1 - l1;
        gl += gk * l1;
        hl += hk * l1;
        gr += gk * r1;
        hr += hk * r1;
      }
    }
    const left = d < 0 ? l : ~st.nodeLeft[d];
    // += : leaves whose rows sit in another leaf's range (a deferred split) are summed there.
    leafSums[base + 2 * left] += gl;
    leafSums[base + 2 * left + 1] += hl;
    if (d >= 0) {
      const right = ~st.nodeRight[d];
      leafSums[base + 2 * right] += gr;
      leafSums[base + 2 * right + 1] += hr;
    }
  }
}

/** Leaf of position k by walking the tree (rows the tree was not grown on). */
function routeRow(st: TrainingState, k: number): number {
  let node = 0;
  while (node >= 0) {
    node = st.nodeGoLeft[256 * node + binAt(st.rows, k, st.nodeColumn[node])] === 1 ? st.nodeLeft[node] : st.nodeRight[node];
  }
  return ~node;
}

function gradientsShard(st: TrainingState, s: number): void {
  const { job, margin, leafValue, shards } = st;
  const numLeaves = job[J_NUM_LEAVES];
  const bagEnd = st.bagEnd[s];
  const shardEnd = st.shardStart[s + 1];
  if (numLeaves === 1) {
    for (let k = st.shardStart[s]; k < shardEnd; k++) margin[k] += leafValue[0];
  } else if (numLeaves > 1) {
    for (let l = 0; l < numLeaves; l++) {
      const start = st.leafStart[l * shards + s];
      const end = st.leafEnd[l * shards + s];
      const d = st.leafDeferred[l];
      if (d < 0) {
        const v = leafValue[l];
        for (let k = start; k < end; k++) margin[k] += v;
      } else {
        const side = st.scratch;
        deferredSides(st, d, start, end);
        // Indexed by side (0 = right), not a branch: sides are random.
        const values = st.sideValues;
        values[0] = leafValue[~st.nodeRight[d]];
        values[1] = leafValue[~st.nodeLeft[d]];
        for (let k = start; k < end; k++) margin[k] += values[side[k]];
      }
    }
    for (let k = bagEnd; k < shardEnd; k++) margin[k] += leafValue[routeRow(st, k)];
  }
  st.shardLoss[s] = quantizedGradients(st.plan, job[J_ROUND_SEED], margin, st.y, st.g, st.gq, st.shardStart[s], shardEnd, job[J_WITH_LOSS] === 1);
}
