import { SplitMix64 } from '../random/splitmix64';
import { decodeBins, quantizationPlan } from './gradient-quantizer';
import { addHistogram, allocateBinRows, BinRows, binAt, HIST_STRIDE, subtractHistogram } from './histogram';
import { TreeJson } from './model-format';
import { GbdtParams } from './params';
import { binRows, FeatureBinning } from './quantile-binner';
import {
  createTrainingState, J_HIST_LEFT, J_LEAF, J_NEW_LEAF, J_NODE, J_NUM_LEAVES, J_ROUND_SEED, J_WITH_LOSS, JOB_GRADIENTS,
  JOB_HISTOGRAM, JOB_LEAF_SUMS, JOB_SAMPLE, JOB_SPLIT, TrainingState,
} from './shard-jobs';
import { CategoryScratch, findBestSplit, SplitCandidate, SplitColumns } from './split-finder';
import { TrainingThreads } from './training-threads';
import { trainingArena } from './training-arena';

/** The training matrix and the binning of each of its features; the builder bins the non-trivial ones. */
export interface TrainingColumns {
  /** Column-major: feature j of row i at j*n + i. */
  x: Float32Array;
  n: number;
  /** Original feature index of each column (the non-trivial features). */
  columnFeature: Int32Array;
  binnings: FeatureBinning[];
}

/** Threshold stored for "all values left, missing right" (the last bin's bound is +Infinity, not JSON). */
const TOP_THRESHOLD = Number.MAX_VALUE;
/** Rows per shard below which a table gets fewer shards (at most MAX_SHARDS). */
const SHARD_ROWS = 16384;
/** Shards of a large table: enough for two to eight threads to share the work evenly. */
const MAX_SHARDS = 8;

/**
 * Grows trees leaf-wise (best gain first, LightGBM-style) on quantized gradients. The training rows are
 * kept physically ordered by leaf within each shard (see shard-jobs.ts): splitting a leaf partitions its
 * rows in place (bins, gradients, margins and labels move together), so every histogram, gradient and
 * margin update is a sequential scan, at any depth. Only the smaller child's histogram is built (by
 * hessian), the sibling's is the parent's minus it; leaves that cannot split get none, and a split whose
 * children are both final is not applied to the rows at all (they are routed when summed). Leaf values
 * come from the exact gradient sums. All buffers live as long as the builder.
 */
export class TreeBuilder {
  private readonly st: TrainingState;
  private readonly threads: TrainingThreads;
  private readonly q: number;
  private readonly n: number;
  private readonly cols: SplitColumns;
  /** Split-search view of one histogram: (gradient, hessian) pairs in real units. */
  private readonly decoded: Float64Array;
  private readonly freeHists: Float64Array[] = [];
  private readonly catScratch = new CategoryScratch();
  private readonly seed32: number;
  private rounds = 0;
  // Per-leaf state, indexed by leaf number (G, H from the quantized sums the split search sees).
  private readonly leafG: Float64Array;
  private readonly leafH: Float64Array;
  private readonly leafDepth: Int32Array;
  private readonly leafParent: Int32Array;
  private readonly leafIsLeft: Uint8Array;
  private readonly leafHist: (Float64Array | null)[];
  private readonly leafSplit: SplitCandidate[];
  // Per internal node of the tree being grown (typed arrays: pushing onto fresh JS arrays in the split
  // path made V8 deoptimise on every tree); routing data (column, children, go-left) is in the state.
  private readonly nodeFeature: Int32Array;
  private readonly nodeThreshold: Float64Array;
  private readonly nodeDefaultLeft: Uint8Array;
  private readonly nodeCategories: (number[] | null)[];
  private readonly nodeGain: Float64Array;
  private readonly nodeCover: Float64Array;
  private numLeaves = 0;
  /** Leaves of the last tree, until gradients() adds it to the margins. */
  private pendingLeaves = 0;

  /**
   * Labels `y` are copied (in position order); every margin starts at `baseMargin`. `threads` is the
   * number of threads doing the row work (the model does not depend on it).
   */
  constructor(
    private readonly data: TrainingColumns,
    y: Uint8Array,
    baseMargin: number,
    private readonly params: GbdtParams,
    threads: number,
  ) {
    const { n } = data;
    const q = data.columnFeature.length;
    this.n = n;
    this.q = q;
    const numBins = new Int32Array(q);
    const binOffset = new Int32Array(q);
    const categorical = new Uint8Array(q);
    for (let c = 0; c < q; c++) {
      const fb = data.binnings[data.columnFeature[c]];
      numBins[c] = fb.numBins;
      binOffset[c] = 2 * HIST_STRIDE * c;
      categorical[c] = fb.categorical ? 1 : 0;
    }
    this.cols = { count: q, numBins, binOffset, categorical };
    this.decoded = new Float64Array(2 * HIST_STRIDE * q);
    const L = params.maxLeaves;
    const shards = Math.max(1, Math.min(MAX_SHARDS, Math.floor(n / SHARD_ROWS)));
    const arena = trainingArena(n, q, threads, L);
    const rows = arena ? arena.rows : allocateBinRows(n, q, true);
    const plan = quantizationPlan(binRows(data.x, n, data.columnFeature, data.binnings, rows));
    this.st = createTrainingState(rows, n, q, plan, L, threads, shards, arena);
    this.st.y.set(y);
    this.st.margin.fill(baseMargin);
    this.seed32 = Math.imul((params.seed | 0) ^ Math.floor(params.seed / 2 ** 32), 0x9e3779b1);
    this.leafG = new Float64Array(L);
    this.leafH = new Float64Array(L);
    this.leafDepth = new Int32Array(L);
    this.leafParent = new Int32Array(L);
    this.leafIsLeft = new Uint8Array(L);
    this.leafHist = new Array<Float64Array | null>(L).fill(null);
    this.leafSplit = Array.from({ length: L }, () => new SplitCandidate());
    this.nodeFeature = new Int32Array(L - 1);
    this.nodeThreshold = new Float64Array(L - 1);
    this.nodeDefaultLeft = new Uint8Array(L - 1);
    this.nodeCategories = new Array<number[] | null>(L - 1).fill(null);
    this.nodeGain = new Float64Array(L - 1);
    this.nodeCover = new Float64Array(L - 1);
    this.threads = new TrainingThreads(this.st, threads);
  }

  get columns(): number {
    return this.q;
  }

  /** Bins another matrix with the same features (a validation set) like the training rows. */
  encode(x: Float32Array, n: number): BinRows {
    const rows = allocateBinRows(n, this.q, false);
    binRows(x, n, this.data.columnFeature, this.data.binnings, rows);
    return rows;
  }

  /** Stops the worker threads. */
  close(): void {
    this.threads.close();
  }

  /**
   * Adds the last tree (if any) to every training margin, then computes the next gradients; returns
   * the mean log-loss of the updated margins if asked (else NaN).
   */
  gradients(withLoss: boolean): number {
    const { job, shardLoss } = this.st;
    job[J_NUM_LEAVES] = this.pendingLeaves;
    job[J_WITH_LOSS] = withLoss ? 1 : 0;
    job[J_ROUND_SEED] = Math.imul(this.seed32 ^ this.rounds++, 0x27d4eb2d);
    this.threads.run(JOB_GRADIENTS, this.n);
    this.pendingLeaves = 0;
    if (!withLoss) return NaN;
    let sum = 0;
    for (let s = 0; s < this.st.shards; s++) sum += shardLoss[s];
    return sum / this.n;
  }

  /** Puts each row in the bag with probability `rate` for the next tree; returns the bag size. */
  sampleRows(rng: SplitMix64, rate: number): number {
    const { scratch, shardStart, bagEnd, shards } = this.st;
    for (let k = 0; k < this.n; k++) scratch[k] = rng.nextDouble() < rate ? 1 : 0;
    this.threads.run(JOB_SAMPLE, this.n);
    let count = 0;
    for (let s = 0; s < shards; s++) count += bagEnd[s] - shardStart[s];
    return count;
  }

  private takeHist(): Float64Array {
    return this.freeHists.pop() ?? new Float64Array(HIST_STRIDE * this.q);
  }

  private releaseHist(leaf: number): void {
    const h = this.leafHist[leaf];
    if (h) this.freeHists.push(h);
    this.leafHist[leaf] = null;
  }

  /** Runs a histogram-producing job and sums the threads' histograms into a fresh one. */
  private histogramJob(kind: number, rows: number): Float64Array {
    const used = this.threads.run(kind, rows);
    const hist = this.takeHist();
    hist.set(this.st.threadHists[0]);
    for (let t = 1; t < used; t++) addHistogram(hist, this.st.threadHists[t]);
    return hist;
  }

  private canSplit(leaf: number): boolean {
    const p = this.params;
    return (p.maxDepth <= 0 || this.leafDepth[leaf] < p.maxDepth) && this.leafH[leaf] >= 2 * p.minChildWeight;
  }

  /** Rows of a leaf (the sum of its shard ranges). */
  private leafRows(leaf: number): number {
    const { leafStart, leafEnd, shards } = this.st;
    let rows = 0;
    for (let s = 0; s < shards; s++) rows += leafEnd[leaf * shards + s] - leafStart[leaf * shards + s];
    return rows;
  }

  private searchSplit(leaf: number, mask: Uint8Array): void {
    const split = this.leafSplit[leaf];
    const hist = this.leafHist[leaf]!;
    const { numBins } = this.cols;
    for (let c = 0; c < this.q; c++) if (mask[c]) decodeBins(this.st.plan, hist, c * HIST_STRIDE, numBins[c], this.decoded);
    findBestSplit(this.decoded, this.leafG[leaf], this.leafH[leaf], this.cols, mask, this.params, this.catScratch, split);
    if (!split.valid) this.releaseHist(leaf);
  }

  /**
   * Grows a tree on the bagged positions with the current gradients, splitting only on the columns
   * where mask[c] = 1. Returns the tree; leaf values include shrinkage.
   */
  build(mask: Uint8Array): TreeJson {
    const st = this.st;
    const p = this.params;
    for (let s = 0; s < st.shards; s++) {
      st.leafStart[s] = st.shardStart[s];
      st.leafEnd[s] = st.bagEnd[s];
    }
    st.leafDeferred.fill(-1);
    this.leafDepth[0] = 0;
    this.leafParent[0] = -1;
    this.numLeaves = 1;
    this.leafSplit[0].reset();
    this.leafH[0] = 0;
    const bagRows = this.leafRows(0);
    if (this.q > 0 && bagRows >= 2) {
      st.job[J_LEAF] = 0;
      const hist = this.histogramJob(JOB_HISTOGRAM, bagRows);
      this.leafHist[0] = hist;
      // Every row is in exactly one bin of column 0.
      const nb = this.cols.numBins[0];
      decodeBins(st.plan, hist, 0, nb, this.decoded);
      let G = 0;
      let H = 0;
      for (let b = 0; b < nb; b++) {
        G += this.decoded[2 * b];
        H += this.decoded[2 * b + 1];
      }
      this.leafG[0] = G;
      this.leafH[0] = H;
      if (this.canSplit(0)) this.searchSplit(0, mask);
      else this.releaseHist(0);
    }
    while (this.numLeaves < p.maxLeaves) {
      let best = -1;
      for (let l = 0; l < this.numLeaves; l++) {
        const s = this.leafSplit[l];
        if (s.valid && (best < 0 || s.gain > this.leafSplit[best].gain)) best = l;
      }
      if (best < 0) break;
      this.splitLeaf(best, mask);
    }
    for (let l = 0; l < this.numLeaves; l++) this.releaseHist(l);
    this.fitLeafValues(bagRows);
    this.pendingLeaves = this.numLeaves;
    const nodes = this.numLeaves - 1;
    return {
      feature: Array.from(this.nodeFeature.subarray(0, nodes)),
      threshold: Array.from(this.nodeThreshold.subarray(0, nodes)),
      defaultLeft: Array.from(this.nodeDefaultLeft.subarray(0, nodes), (d) => d === 1),
      categories: this.nodeCategories.slice(0, nodes),
      left: Array.from(st.nodeLeft.subarray(0, nodes)),
      right: Array.from(st.nodeRight.subarray(0, nodes)),
      gain: Array.from(this.nodeGain.subarray(0, nodes)),
      cover: Array.from(this.nodeCover.subarray(0, nodes)),
      leafValue: Array.from(st.leafValue.subarray(0, this.numLeaves)),
      leafCover: Array.from(this.leafH.subarray(0, this.numLeaves)),
    };
  }

  /** Leaf values −G/(H+λ)·η from the exact gradient sums of the bagged rows, summed in shard order. */
  private fitLeafValues(bagRows: number): void {
    const st = this.st;
    const { lambda, learningRate } = this.params;
    st.job[J_NUM_LEAVES] = this.numLeaves;
    this.threads.run(JOB_LEAF_SUMS, bagRows);
    for (let l = 0; l < this.numLeaves; l++) {
      let G = 0;
      let H = 0;
      for (let s = 0; s < st.shards; s++) {
        G += st.leafSums[2 * (s * st.maxLeaves + l)];
        H += st.leafSums[2 * (s * st.maxLeaves + l) + 1];
      }
      st.leafValue[l] = H + lambda > 0 ? (-G / (H + lambda)) * learningRate : 0;
    }
  }

  private splitLeaf(leaf: number, mask: Uint8Array): void {
    const st = this.st;
    const S = st.shards;
    const s = this.leafSplit[leaf];
    const node = this.numLeaves - 1;
    const feature = this.data.columnFeature[s.column];
    const fb = this.data.binnings[feature];
    this.nodeFeature[node] = feature;
    if (s.categorical) {
      this.nodeThreshold[node] = 0;
      const cats: number[] = [];
      for (let b = 1; b < fb.numBins; b++) if (s.goLeft[b]) cats.push(b - 1);
      this.nodeCategories[node] = cats;
    } else {
      const t = fb.upperBounds[s.threshold - 1];
      this.nodeThreshold[node] = t === Infinity ? TOP_THRESHOLD : t;
      this.nodeCategories[node] = null;
    }
    this.nodeDefaultLeft[node] = s.defaultLeft ? 1 : 0;
    this.nodeGain[node] = s.gain;
    this.nodeCover[node] = this.leafH[leaf];
    const parent = this.leafParent[leaf];
    if (parent >= 0) (this.leafIsLeft[leaf] ? st.nodeLeft : st.nodeRight)[parent] = node;
    st.nodeColumn[node] = s.column;
    st.nodeGoLeft.set(s.goLeft, 256 * node);

    const right = this.numLeaves++;
    const depth = this.leafDepth[leaf] + 1;
    const G = this.leafG[leaf];
    const H = this.leafH[leaf];
    st.nodeLeft[node] = ~leaf;
    st.nodeRight[node] = ~right;
    this.leafG[right] = G - s.leftG;
    this.leafH[right] = H - s.leftH;
    this.leafDepth[right] = depth;
    this.leafParent[right] = node;
    this.leafIsLeft[right] = 0;
    this.leafSplit[right].reset();
    this.leafG[leaf] = s.leftG;
    this.leafH[leaf] = s.leftH;
    this.leafDepth[leaf] = depth;
    this.leafParent[leaf] = node;
    this.leafIsLeft[leaf] = 1;
    const parentHist = this.leafHist[leaf]!;
    this.leafHist[leaf] = null;
    s.reset();

    const room = this.numLeaves < this.params.maxLeaves;
    const needLeft = room && this.canSplit(leaf);
    const needRight = room && this.canSplit(right);
    if (!needLeft && !needRight) {
      // Both children are final: their rows stay together, routed by this node when summed.
      st.leafDeferred[leaf] = node;
      st.leafStart.fill(0, right * S, right * S + S);
      st.leafEnd.fill(0, right * S, right * S + S);
      this.freeHists.push(parentHist);
      return;
    }
    const leftSmaller = this.leafH[leaf] <= this.leafH[right];
    st.job[J_LEAF] = leaf;
    st.job[J_NEW_LEAF] = right;
    st.job[J_NODE] = node;
    st.job[J_HIST_LEFT] = leftSmaller ? 1 : 0;
    const smallHist = this.histogramJob(JOB_SPLIT, this.leafRows(leaf));
    subtractHistogram(parentHist, smallHist);
    this.leafHist[leftSmaller ? leaf : right] = smallHist;
    this.leafHist[leftSmaller ? right : leaf] = parentHist;
    if (needLeft && this.leafRows(leaf) >= 2) this.searchSplit(leaf, mask);
    else this.releaseHist(leaf);
    if (needRight && this.leafRows(right) >= 2) this.searchSplit(right, mask);
    else this.releaseHist(right);
  }

  /**
   * Adds the last tree's output to margin[k] for rows [start, end) of a table encoded by encode() (a
   * validation set), routing by bins exactly as training did.
   */
  addToEncodedRows(rows: BinRows, start: number, end: number, margin: Float64Array): void {
    const { nodeLeft, nodeRight, nodeColumn, nodeGoLeft, leafValue } = this.st;
    const single = this.numLeaves === 1;
    for (let k = start; k < end; k++) {
      let node = single ? ~0 : 0;
      while (node >= 0) node = nodeGoLeft[256 * node + binAt(rows, k, nodeColumn[node])] ? nodeLeft[node] : nodeRight[node];
      margin[k] += leafValue[~node];
    }
  }
}
