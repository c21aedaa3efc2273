export { firstIndexAtOrAfter, eventsBefore, eventsFrom } from './cutoff-slices';
export { DAY_MS } from './time';
export { HistorySummary, EventTypeStats, SUMMARY_WINDOW_DAYS, type SummaryWindowDays } from './history-summary';
export { type FeatureContext, type FeatureDefinition, type FeatureKind } from './feature-definition';
export { ALL_FEATURES, FEATURE_REGISTRY, SUBSCRIPTION_FEATURES } from './feature-registry';
export { buildCategoryDictionary, categoryCodes, encodeCategory, UNKNOWN_CATEGORY_CODE, MAX_CATEGORIES } from './category-dictionary';
export { fitAttributeFeatures, attributeFeature, type AttributeFeatureSpec } from './attribute-features';
export { fitFeatureSchema, resolveFeatures, type FeatureSchema, type FeatureSchemaEntry } from './feature-schema';
