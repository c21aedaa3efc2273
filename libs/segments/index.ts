/**
 * libs/segments: the pure core of segments and the global control group (plain functions over plain
 * data; no Nest, Mongo or Temporal). Types shared with the API and workflows live in libs/domain
 * (segment-definition, segment-subject, segment-membership, control-group, field-error).
 *
 * The caller's path, by step:
 * - API, save or preview: `validateSegmentDefinition(body.definition, catalogue, { segmentId, at: 'definition' })`
 *   (shape, $-operators, limits, then active predictions, existing segments, no cycles), or embed
 *   `segmentDefinitionSchema` in a body schema for parseOr400 and call `referenceProblems` after.
 *   "Create from prediction": `segmentFromPredictionSchema` + `segmentFromPrediction`, then validate.
 * - Loading: `dependencies(definition)` (or `compileSegmentSet(...).dependencies` for several) says which
 *   subject parts to load (`subjectParts`), which windows to summarise, and whether the segment moves
 *   with the clock; `buildSubject` assembles one user's subject (event summary, control group flag).
 * - Evaluating: `compileSegment(definition, id)` is a predicate over a subject;
 *   `compileSegmentSet(segments).membersOf(subject)` evaluates several in one pass, in dependency order.
 * - Preview: `previewSegment(predicate, subjects, { sampleSize, seed })`, `mergePreviews` across
 *   partitions, `extrapolateSize` from a partial scan.
 * - Re-evaluation: `affectedSegments(segments, trigger)` after a rescore, ingestion, profile change,
 *   control-group change, a membership change or the clock.
 * - Materialising: `sortedMembers` + `membershipChange` (or `packMembers` + `packedMembershipChange`
 *   when a version is stored in hash buckets), then `membershipEvents` to emit once per user.
 * - Control group: `changeControlGroup` (settings history), `inControlGroup`, `wasInControlGroup`.
 */
export { affectedSegments, directlyAffected, type SegmentTrigger } from './affected-segments';
export { buildSubject, percentileFromCutPoints, subjectScore, type StoredScoreFields, type SubjectSources } from './build-subject';
export { compileEvaluator, compileSegment, SubjectIncompleteError, type MembershipLookup, type SegmentEvaluator } from './compile-segment';
export { changeControlGroup, controlGroupAt, currentControlGroup, inControlGroup, wasInControlGroup, type ControlGroupChange } from './control-group';
export { referenceProblems, type ReferenceProblem, type SegmentCatalogue } from './definition-references';
export { dependencies, mergeDependencies, type PredictionOutput, type SegmentDependencies, type SubjectPart } from './dependencies';
export { summarizeEvents } from './event-summary';
export { diffPacked, memberBucket, packMembers, packedMembershipChange, unpackMembers, type MemberBucket } from './member-buckets';
export { MemberSample, mergeSamples } from './member-sample';
export { diffSortedMembers, membershipChange, membershipEvents, sortedMembers } from './membership-diff';
export { segmentDefinitionSchema } from './segment-definition.schema';
export { EVERY_CONDITION_TYPE, SEGMENT_EXAMPLES } from './segment-examples';
export { segmentFromPrediction, segmentFromPredictionSchema, type SegmentFromPrediction } from './segment-from-prediction';
export { evaluationOrder, membershipGraph, type StoredSegment } from './segment-graph';
export { extrapolateSize, mergePreviews, previewSegment, type PreviewOptions, type SegmentPreview } from './segment-preview';
export { compileSegmentSet, type CompiledSegmentSet } from './segment-set';
export { murmur3, unitHash } from './stable-hash';
export { validateSegmentDefinition, type SegmentValidation } from './validate-segment-definition';
export { MARKS_PER_RETENTION, retentionPlan, type BucketRef, type ChangeMark, type RetentionInput, type RetentionPlan, type RetentionState, type RetiredBuckets } from './retention';
