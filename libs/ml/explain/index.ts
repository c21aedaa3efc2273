export { compileExplainer, explainRows } from './tree-shap';
export type { ExplainerOptions, TreeExplainer } from './tree-shap';
export { describeReasons, reasonFeatures, topContributions } from './reasons';
export type { Reason, TopContributions } from './reasons';
