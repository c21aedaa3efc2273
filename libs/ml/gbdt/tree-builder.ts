import { SplitMix64 } from '../random/splitmix64';
import { EncodedBins, entryAt, subtractHistogram } from './histogram';
import { sharedFloat64, TrainingThreads } from './training-threads';
import { TreeJson } from './model-format';
import { GbdtParams } from './params';
import { PositionArrays, swapPositions } from './partition';
import { FeatureBinning } from './quantile-binner';
import { CategoryScratch, findBestSplit, SplitCandidate, SplitColumns } from './split-finder';

/** The binned training table, one column per non-trivial feature. */
export interface BinnedColumns {
  n: number;
  /** Column-major bins: column c of row i at c*n + i. */
  binsByColumn: Uint8Array;
  /** Original feature index of each column. */
  columnFeature: Int32Array;
  binnings: FeatureBinning[];
}

/** Threshold stored for "all values left, missing right" (the last bin's bound is +Infinity, not JSON). */
const TOP_THRESHOLD = Number.MAX_VALUE;

/** Histogram layout of the columns: where each column's (gradient, hessian) pairs start. */
function splitColumns(data: BinnedColumns): SplitColumns & { histSize: number } {
  const q = data.columnFeature.length;
  const numBins = new Int32Array(q);
  const binOffset = new Int32Array(q);
  const categorical = new Uint8Array(q);
  let total = 0;
  for (let c = 0; c < q; c++) {
    const fb = data.binnings[data.columnFeature[c]];
    numBins[c] = fb.numBins;
    binOffset[c] = 2 * total;
    categorical[c] = fb.categorical ? 1 : 0;
    total += fb.numBins;
  }
  return { count: q, numBins, binOffset, categorical, histSize: 2 * total };
}

/**
 * Row-major matrix (shared memory) whose entry for column c is the histogram offset of its bin,
 * binOffset[c] + 2*bin, so the histogram loop needs no per-column offset. Entries are packed two per
 * word when offsets fit 16 bits (histSize counts the dummy pair that a pad entry points at).
 */
function encodeBins(byColumn: Uint8Array, n: number, binOffset: Int32Array, histSize: number): EncodedBins {
  const q = binOffset.length;
  const wide = histSize > 0x10000;
  const wordsPerRow = wide ? q : (q + 1) >> 1;
  const words = new Uint32Array(new SharedArrayBuffer(Math.max(4, 4 * n * wordsPerRow)), 0, n * wordsPerRow);
  const pad = histSize - 2;
  for (let c = 0; c < (wide ? q : 2 * wordsPerRow); c++) {
    const src = c * n;
    const off = binOffset[c];
    const w = wide ? c : c >> 1;
    const shift = wide ? 0 : (c & 1) << 4;
    for (let i = 0; i < n; i++) words[i * wordsPerRow + w] |= (c < q ? off + 2 * byColumn[src + i] : pad) << shift;
  }
  return { words, wordsPerRow, wide };
}

/**
 * Grows trees leaf-wise (best gain first, LightGBM-style). The training rows are kept physically
 * ordered by leaf: splitting a leaf partitions its rows in place (bins, gradients, margins and labels
 * move together), so every histogram, gradient and margin update is a sequential scan, at any depth.
 * Row order is irrelevant to the model (it is the sum over a leaf). Only the smaller child's histogram is built,
 * the sibling's is the parent's minus it; leaves that cannot split get none. All buffers live as long as
 * the builder.
 */
export class TreeBuilder implements PositionArrays {
  /** Interleaved gradient, hessian of each position (the caller fills it before build()). */
  readonly gh: Float64Array;
  /** Margin of each position. */
  readonly margin: Float64Array;
  /** Label of each position. */
  readonly y: Uint8Array;
  /** Encoded bins by position. */
  readonly bins: EncodedBins;
  private readonly sampled: Uint8Array;
  private readonly q: number;
  private readonly cols: SplitColumns;
  private readonly histSize: number;
  private readonly freeHists: Float64Array[] = [];
  private readonly threads: TrainingThreads;
  private readonly catScratch = new CategoryScratch();
  // Per-leaf state, indexed by leaf number.
  private readonly leafStart: Int32Array;
  private readonly leafEnd: Int32Array;
  private readonly leafG: Float64Array;
  private readonly leafH: Float64Array;
  private readonly leafDepth: Int32Array;
  private readonly leafParent: Int32Array;
  private readonly leafIsLeft: Uint8Array;
  private readonly leafHist: (Float64Array | null)[];
  private readonly leafSplit: SplitCandidate[];
  // Per internal node of the tree being grown (typed arrays: pushing onto fresh JS arrays in the split
  // path made V8 deoptimise on every tree).
  private readonly nodeFeature: Int32Array;
  private readonly nodeThreshold: Float64Array;
  private readonly nodeDefaultLeft: Uint8Array;
  private readonly nodeCategories: (number[] | null)[];
  private readonly nodeLeft: Int32Array;
  private readonly nodeRight: Int32Array;
  private readonly nodeGain: Float64Array;
  private readonly nodeCover: Float64Array;
  // Column, its histogram offset and go-left table by bin of each node, to route encoded rows.
  private readonly nodeColumn: Int32Array;
  private readonly nodeBinOffset: Int32Array;
  private readonly nodeGoLeft: Uint8Array;
  private readonly leafValue: Float64Array;
  private numLeaves = 0;

  /**
   * Labels `y` and the starting margin are copied (in position order). `threads` is the number of
   * threads building histograms and gradients (the model does not depend on it).
   */
  constructor(
    private readonly data: BinnedColumns,
    y: Uint8Array,
    baseMargin: number,
    private readonly params: GbdtParams,
    threads: number,
  ) {
    const { n } = data;
    const cols = splitColumns(data);
    this.q = cols.count;
    this.cols = cols;
    // Two more entries: the dummy pair that pads odd rows of packed bins.
    this.histSize = cols.histSize + 2;
    this.bins = encodeBins(data.binsByColumn, n, cols.binOffset, this.histSize);
    this.gh = sharedFloat64(2 * n);
    this.margin = sharedFloat64(n).fill(baseMargin);
    this.y = new Uint8Array(new SharedArrayBuffer(Math.max(1, n)), 0, n);
    this.y.set(y);
    this.sampled = new Uint8Array(n);
    const L = params.maxLeaves;
    this.leafStart = new Int32Array(L);
    this.leafEnd = new Int32Array(L);
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
    this.nodeLeft = new Int32Array(L - 1);
    this.nodeRight = new Int32Array(L - 1);
    this.nodeGain = new Float64Array(L - 1);
    this.nodeCover = new Float64Array(L - 1);
    this.nodeColumn = new Int32Array(L - 1);
    this.nodeBinOffset = new Int32Array(L - 1);
    this.nodeGoLeft = new Uint8Array(256 * (L - 1));
    this.leafValue = new Float64Array(L);
    this.threads = new TrainingThreads(this, this.histSize, threads);
  }

  get columns(): number {
    return this.q;
  }

  /** Encodes another binned table (a validation set) like the training rows. */
  encode(binsByColumn: Uint8Array, n: number): EncodedBins {
    return encodeBins(binsByColumn, n, this.cols.binOffset, this.histSize);
  }

  /** Stops the worker threads. */
  close(): void {
    this.threads.close();
  }

  /** Gradients of every position from its margin; the mean log-loss too if asked (else NaN). */
  gradients(withLoss: boolean): number {
    return this.threads.gradients(withLoss);
  }

  /**
   * Samples each row with probability `rate` and moves the sampled rows to the front; returns their
   * count (positions [0, count) are in the bag, the rest out of it).
   */
  sampleRows(rng: SplitMix64, rate: number): number {
    const n = this.data.n;
    const flag = this.sampled;
    for (let k = 0; k < n; k++) flag[k] = rng.nextDouble() < rate ? 1 : 0;
    let i = 0;
    let j = n - 1;
    for (;;) {
      while (i <= j && flag[i] === 1) i++;
      while (i <= j && flag[j] === 0) j--;
      if (i >= j) return i;
      this.swap(i, j);
      flag[i] = 1;
      flag[j] = 0;
      i++;
      j--;
    }
  }

  private swap(i: number, j: number): void {
    swapPositions(this, i, j);
  }

  private takeHist(): Float64Array {
    return this.freeHists.pop() ?? new Float64Array(this.histSize);
  }

  private releaseHist(leaf: number): void {
    const h = this.leafHist[leaf];
    if (h) this.freeHists.push(h);
    this.leafHist[leaf] = null;
  }

  private canSplit(leaf: number): boolean {
    const p = this.params;
    return (
      (p.maxDepth <= 0 || this.leafDepth[leaf] < p.maxDepth) &&
      this.leafH[leaf] >= 2 * p.minChildWeight &&
      this.leafEnd[leaf] - this.leafStart[leaf] >= 2
    );
  }

  private searchSplit(leaf: number, mask: Uint8Array): void {
    const split = this.leafSplit[leaf];
    findBestSplit(this.leafHist[leaf]!, this.leafG[leaf], this.leafH[leaf], this.cols, mask, this.params, this.catScratch, split);
    if (!split.valid) this.releaseHist(leaf);
  }

  /**
   * Grows a tree on positions [0, count) with the current gradients, splitting only on the columns
   * where mask[c] = 1. Returns the tree; leaf values include shrinkage.
   */
  build(count: number, mask: Uint8Array): TreeJson {
    const gh = this.gh;
    const p = this.params;
    let G = 0;
    let H = 0;
    for (let k = 0; k < count; k++) {
      G += gh[2 * k];
      H += gh[2 * k + 1];
    }
    this.leafStart[0] = 0;
    this.leafEnd[0] = count;
    this.leafG[0] = G;
    this.leafH[0] = H;
    this.leafDepth[0] = 0;
    this.leafParent[0] = -1;
    this.numLeaves = 1;
    this.leafSplit[0].reset();
    if (this.canSplit(0)) {
      const hist = this.takeHist();
      this.threads.histogram(0, count, hist);
      this.leafHist[0] = hist;
      this.searchSplit(0, mask);
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
    for (let l = 0; l < this.numLeaves; l++) {
      this.releaseHist(l);
      this.leafValue[l] = (-this.leafG[l] / (this.leafH[l] + p.lambda)) * p.learningRate;
    }
    const nodes = this.numLeaves - 1;
    return {
      feature: Array.from(this.nodeFeature.subarray(0, nodes)),
      threshold: Array.from(this.nodeThreshold.subarray(0, nodes)),
      defaultLeft: Array.from(this.nodeDefaultLeft.subarray(0, nodes), (d) => d === 1),
      categories: this.nodeCategories.slice(0, nodes),
      left: Array.from(this.nodeLeft.subarray(0, nodes)),
      right: Array.from(this.nodeRight.subarray(0, nodes)),
      gain: Array.from(this.nodeGain.subarray(0, nodes)),
      cover: Array.from(this.nodeCover.subarray(0, nodes)),
      leafValue: Array.from(this.leafValue.subarray(0, this.numLeaves)),
    };
  }

  private splitLeaf(leaf: number, mask: Uint8Array): void {
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
    if (parent >= 0) (this.leafIsLeft[leaf] ? this.nodeLeft : this.nodeRight)[parent] = node;
    this.nodeColumn[node] = s.column;
    this.nodeBinOffset[node] = this.cols.binOffset[s.column];
    this.nodeGoLeft.set(s.goLeft, 256 * node);

    const start = this.leafStart[leaf];
    const end = this.leafEnd[leaf];
    const l = this.threads.partition(s.column, this.cols.binOffset[s.column], s.goLeft, start, end);

    const right = this.numLeaves++;
    const depth = this.leafDepth[leaf] + 1;
    const G = this.leafG[leaf];
    const H = this.leafH[leaf];
    this.nodeLeft[node] = ~leaf;
    this.nodeRight[node] = ~right;
    this.leafStart[right] = l;
    this.leafEnd[right] = end;
    this.leafG[right] = G - s.leftG;
    this.leafH[right] = H - s.leftH;
    this.leafDepth[right] = depth;
    this.leafParent[right] = node;
    this.leafIsLeft[right] = 0;
    this.leafSplit[right].reset();
    this.leafEnd[leaf] = l;
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
      this.freeHists.push(parentHist);
      return;
    }
    const leftSmaller = l - start <= end - l;
    const small = leftSmaller ? leaf : right;
    const large = leftSmaller ? right : leaf;
    const smallHist = this.takeHist();
    this.threads.histogram(this.leafStart[small], this.leafEnd[small], smallHist);
    subtractHistogram(parentHist, smallHist);
    this.leafHist[small] = smallHist;
    this.leafHist[large] = parentHist;
    if (needLeft) this.searchSplit(leaf, mask);
    else this.releaseHist(leaf);
    if (needRight) this.searchSplit(right, mask);
    else this.releaseHist(right);
  }

  /** Adds the last tree's leaf values to the margins of the rows it was grown on. */
  addToGrownRows(): void {
    const values = this.leafValue;
    const margin = this.margin;
    for (let l = 0; l < this.numLeaves; l++) {
      const v = values[l];
      for (let k = this.leafStart[l]; k < this.leafEnd[l]; k++) margin[k] += v;
    }
  }

  /**
   * Adds the last tree's output to margin[k] for rows [start, end) of an encoded matrix with the same
   * columns (training rows left out by subsampling, or a validation set), routing by bins exactly as
   * training did.
   */
  addToEncodedRows(bins: EncodedBins, start: number, end: number, margin: Float64Array): void {
    const left = this.nodeLeft;
    const right = this.nodeRight;
    const leafValue = this.leafValue;
    const nodeColumn = this.nodeColumn;
    const nodeBinOffset = this.nodeBinOffset;
    const goLeft = this.nodeGoLeft;
    const single = this.numLeaves === 1;
    for (let k = start; k < end; k++) {
      let node = single ? ~0 : 0;
      while (node >= 0) {
        const bin = (entryAt(bins, k, nodeColumn[node]) - nodeBinOffset[node]) >> 1;
        node = goLeft[256 * node + bin] ? left[node] : right[node];
      }
      margin[k] += leafValue[~node];
    }
  }
}
