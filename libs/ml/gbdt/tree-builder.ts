import { subtractHistogram } from './histogram';
import { HistogramBuilder } from './histogram-threads';
import { TreeJson } from './model-format';
import { GbdtParams } from './params';
import { FeatureBinning } from './quantile-binner';
import { CategoryScratch, findBestSplit, SplitCandidate, SplitColumns } from './split-finder';

/** The binned training matrix, one column per non-trivial feature, in both layouts. */
export interface BinnedMatrix {
  n: number;
  /** Row-major (shared memory), for histograms. */
  bins: Uint8Array;
  /** Column-major, for partitioning a leaf on one column. */
  binsByColumn: Uint8Array;
  /** Original feature index of each column. */
  columnFeature: Int32Array;
  binnings: FeatureBinning[];
}

/** Threshold stored for "all values left, missing right" (the last bin's bound is +Infinity, not JSON). */
const TOP_THRESHOLD = Number.MAX_VALUE;

/**
 * Grows one tree leaf-wise (best gain first, LightGBM-style) on rows[0..count) of the binned matrix.
 * Rows are partitioned in place (stable, so each leaf keeps its rows in index order for the histogram
 * reads); only the smaller child's histogram is built, the sibling's is the parent's minus it; leaves
 * that cannot split further get none. All buffers live as long as the builder.
 */
export class TreeBuilder {
  /** Row indices; after build(), leaf l owns rows[leafStart[l]..leafEnd[l]). */
  readonly rows: Uint32Array;
  private readonly scratch: Uint32Array;
  private readonly q: number;
  private readonly cols: SplitColumns;
  private readonly histSize: number;
  private readonly freeHists: Float64Array[] = [];
  private readonly histograms: HistogramBuilder;
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
  // Column and go-left table by bin of each node, to route binned rows.
  private readonly nodeColumn: Int32Array;
  private readonly nodeGoLeft: Uint8Array;
  private readonly leafValue: Float64Array;
  private numLeaves = 0;

  /**
   * `gh` (interleaved gradient, hessian per row, in shared memory) is read by every build(); `threads`
   * is the number of threads building histograms (the model does not depend on it).
   */
  constructor(
    private readonly data: BinnedMatrix,
    private readonly params: GbdtParams,
    private readonly gh: Float64Array,
    threads: number,
  ) {
    const q = data.columnFeature.length;
    this.q = q;
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
    this.cols = { count: q, numBins, binOffset, categorical };
    this.histSize = 2 * total;
    this.rows = new Uint32Array(new SharedArrayBuffer(4 * Math.max(1, data.n)), 0, data.n);
    this.scratch = new Uint32Array(data.n);
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
    this.nodeGoLeft = new Uint8Array(256 * (L - 1));
    this.leafValue = new Float64Array(L);
    this.histograms = new HistogramBuilder(data.bins, q, binOffset, gh, this.rows, this.histSize, threads);
  }

  get columns(): number {
    return this.q;
  }

  get binsRowMajor(): Uint8Array {
    return this.data.bins;
  }

  /** Stops the histogram threads. */
  close(): void {
    this.histograms.close();
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
   * Grows a tree on rows[0..count) (the caller fills them, ascending) with the current gradients,
   * splitting only on the columns where mask[c] = 1. Returns the tree; leaf values include shrinkage.
   */
  build(count: number, mask: Uint8Array): TreeJson {
    const gh = this.gh;
    const rows = this.rows;
    const p = this.params;
    let G = 0;
    let H = 0;
    for (let k = 0; k < count; k++) {
      const r = rows[k];
      G += gh[2 * r];
      H += gh[2 * r + 1];
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
      this.histograms.build(0, count, hist);
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
    this.nodeGoLeft.set(s.goLeft, 256 * node);

    const start = this.leafStart[leaf];
    const end = this.leafEnd[leaf];
    const columnBins = this.data.binsByColumn.subarray(s.column * this.data.n, (s.column + 1) * this.data.n);
    const l = partitionRows(columnBins, s.goLeft, this.rows, this.scratch, start, end);

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
    this.histograms.build(this.leafStart[small], this.leafEnd[small], smallHist);
    subtractHistogram(parentHist, smallHist);
    this.leafHist[small] = smallHist;
    this.leafHist[large] = parentHist;
    if (needLeft) this.searchSplit(leaf, mask);
    else this.releaseHist(leaf);
    if (needRight) this.searchSplit(right, mask);
    else this.releaseHist(right);
  }

  /** Adds the last tree's leaf values to margin[r] for the rows it was grown on (rows[0..count)). */
  addToGrownRows(margin: Float64Array): void {
    const values = this.leafValue;
    const rows = this.rows;
    for (let l = 0; l < this.numLeaves; l++) {
      const v = values[l];
      for (let k = this.leafStart[l]; k < this.leafEnd[l]; k++) margin[rows[k]] += v;
    }
  }

  /**
   * Adds the last tree's output to margin[i] for each listed row of a binned matrix with the same columns
   * (rows left out by subsampling, or a validation set), routing by bins exactly as training did.
   */
  addToBinnedRows(bins: Uint8Array, rowList: Uint32Array | null, count: number, margin: Float64Array): void {
    const left = this.nodeLeft;
    const right = this.nodeRight;
    const leafValue = this.leafValue;
    const q = this.q;
    const nodeColumn = this.nodeColumn;
    const goLeft = this.nodeGoLeft;
    if (this.numLeaves === 1) {
      for (let k = 0; k < count; k++) margin[rowList ? rowList[k] : k] += leafValue[0];
      return;
    }
    for (let k = 0; k < count; k++) {
      const r = rowList ? rowList[k] : k;
      const base = r * q;
      let node = 0;
      while (node >= 0) node = goLeft[256 * node + bins[base + nodeColumn[node]]] ? left[node] : right[node];
      margin[r] += leafValue[~node];
    }
  }
}

/**
 * Stable in-place partition of rows[start..end) by goLeft[columnBins[row]]: left rows compacted
 * forward, right rows through `scratch`. Returns the first right row's position.
 */
function partitionRows(
  columnBins: Uint8Array,
  goLeft: Uint8Array,
  rows: Uint32Array,
  scratch: Uint32Array,
  start: number,
  end: number,
): number {
  let l = start;
  let rc = 0;
  for (let k = start; k < end; k++) {
    const r = rows[k];
    if (goLeft[columnBins[r]] === 1) rows[l++] = r;
    else scratch[rc++] = r;
  }
  for (let k = 0; k < rc; k++) rows[l + k] = scratch[k];
  return l;
}
