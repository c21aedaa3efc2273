import { toJsonText } from '../libs/domain/prediction-outputs';

/** A yes/no score's stored reasons, as rescoring writes them: STORED_REASONS (feature, value, contribution) triples, as JSON text. */
export const SAMPLE_REASONS = toJsonText([3, 34, 0.2113, 7, 1.5, -0.0804, 12, 0, 0.0311]);
