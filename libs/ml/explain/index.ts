export { compileExplainer, explainRows } from './tree-shap';
export type { ExplainerOptions, TreeExplainer } from './tree-shap';
export { allocateTop, topContributions, topContributionsRange } from './top-contributions';
export type { TopContributions } from './top-contributions';
export { topContributionsParallel, PARALLEL_EXPLAIN_MIN_ROWS } from './explain-threads';
export { describeReasons, reasonFeatures } from './reasons';
export type { Reason } from './reasons';
