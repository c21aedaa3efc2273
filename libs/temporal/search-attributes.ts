import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes registered on the namespace (scripts/infra.sh registers them on the dev
 * server). Values are opaque IDs, never e-mail addresses: search attributes are stored unencrypted.
 */
export const PredictionIdKey = defineSearchAttributeKey('PredictionId', SearchAttributeType.KEYWORD);
export const SegmentIdKey = defineSearchAttributeKey('SegmentId', SearchAttributeType.KEYWORD);
export const CanvasIdKey = defineSearchAttributeKey('CanvasId', SearchAttributeType.KEYWORD);
export const CanvasVersionKey = defineSearchAttributeKey('CanvasVersion', SearchAttributeType.INT);
export const UserIdKey = defineSearchAttributeKey('UserId', SearchAttributeType.KEYWORD);
/** The imported file's name, so an operator finds every import of one file. */
export const ImportFileKey = defineSearchAttributeKey('ImportFile', SearchAttributeType.KEYWORD);
/** The model version a rescore scores with, set once it is known, so its run is found by version (scheduled runs included). */
export const ModelVersionKey = defineSearchAttributeKey('ModelVersion', SearchAttributeType.INT);
