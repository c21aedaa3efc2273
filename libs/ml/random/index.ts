export { SplitMix64 } from './splitmix64';
export { shuffleInPlace } from './shuffle';
export { stratifiedFolds } from './stratified-folds';
