export { checkTrainingData } from './training-data-check';
export type { LabelledTable, TrainingDataContext, TrainingDataLimits, TrainingDataVerdict } from './training-data-check';
export { DEFAULT_HOLDOUT_SHARE, trainAndEvaluate } from './train-and-evaluate';
export type { TrainAndEvaluateInput, TrainedCandidate, TrainingProgress } from './train-and-evaluate';
export { scoreMargins } from './score';
export type { UserScore } from './score';
