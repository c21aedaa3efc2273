import { makeSynthTable } from '../datasets/synth-table';
import { trainGbdt } from '../gbdt/booster';
import { topContributionsParallel } from './explain-threads';
import { topContributions } from './top-contributions';
import { compileExplainer } from './tree-shap';

describe('explaining on several threads', () => {
  it('gives the same top contributions as one thread', async () => {
    const train = makeSynthTable({ rows: 5000 });
    const model = trainGbdt({ x: train.x, n: train.n, y: train.y }, { rounds: 10, maxDepth: 4 });
    const explainer = compileExplainer(model);
    const test = makeSynthTable({ rows: 40_000, start: 1_000_000 });
    const one = topContributions(explainer, test.x, test.n, 3);
    const three = await topContributionsParallel(explainer, test.x, test.n, 3, 3);
    expect(three.feature.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(three.feature)).toEqual(Array.from(one.feature));
    expect(Array.from(three.contribution)).toEqual(Array.from(one.contribution));
    const few = await topContributionsParallel(explainer, test.x.subarray(0, 40 * 100), 100, 3, 3);
    expect(few.feature.buffer).toBeInstanceOf(ArrayBuffer);
    // Worker threads load the TypeScript compiler when run from sources.
  }, 60_000);
});
