import { UserHistory } from '../../domain/event';
import { attributeFeature, AttributeFeatureSpec, fitAttributeFeatures } from './attribute-features';
import { FeatureDefinition, FeatureKind } from './feature-definition';
import { ALL_FEATURES, FEATURE_REGISTRY } from './feature-registry';

export type FeatureSchemaEntry = { name: string; kind: FeatureKind } | AttributeFeatureSpec;

/**
 * The model's columns, in order, with the category dictionaries learnt at training time. Stored
 * with the model: scoring rebuilds exactly these columns from it, whatever the registry holds then.
 */
export interface FeatureSchema {
  features: FeatureSchemaEntry[];
}

/** Registry features plus one feature per attribute of the training users. */
export function fitFeatureSchema(
  trainingHistories: readonly UserHistory[],
  registry: readonly FeatureDefinition[] = FEATURE_REGISTRY,
): FeatureSchema {
  return {
    features: [
      ...registry.map(({ name, kind }) => ({ name, kind })),
      ...fitAttributeFeatures(trainingHistories),
    ],
  };
}

/** The feature implementations for a stored schema; fails loudly if the code no longer has one. */
export function resolveFeatures(
  schema: FeatureSchema,
  registry: readonly FeatureDefinition[] = ALL_FEATURES,
): FeatureDefinition[] {
  const byName = new Map(registry.map((f) => [f.name, f]));
  return schema.features.map((entry) => {
    if ('attribute' in entry) return attributeFeature(entry);
    const feature = byName.get(entry.name);
    if (feature === undefined) throw new Error(`feature schema: "${entry.name}" is not in the feature registry`);
    if (feature.kind !== entry.kind) {
      throw new Error(`feature schema: "${entry.name}" is ${entry.kind} in the schema but ${feature.kind} in the registry`);
    }
    return feature;
  });
}
