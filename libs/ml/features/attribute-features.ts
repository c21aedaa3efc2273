import { UserHistory } from '../../domain/event';
import { buildCategoryDictionary, categoryCodes, encodeCategory } from './category-dictionary';
import { FeatureDefinition, FeatureKind } from './feature-definition';

/** How one profile attribute becomes a feature; stored in the schema so scoring encodes identically. */
export interface AttributeFeatureSpec {
  name: string;
  kind: FeatureKind;
  attribute: string;
  /** Categorical only: the training dictionary, code k + 1 for categories[k]. */
  categories?: string[];
}

type AttributeValue = UserHistory['attributes'][string];

/**
 * One feature per attribute key seen on the training users: categorical if any value is a string,
 * numeric otherwise (booleans as 0/1). Keys sorted so the column order is reproducible.
 */
export function fitAttributeFeatures(histories: readonly UserHistory[]): AttributeFeatureSpec[] {
  const valueCounts = new Map<string, Map<string, number>>();
  const hasString = new Set<string>();
  for (const h of histories) {
    for (const [key, value] of Object.entries(h.attributes)) {
      if (value === null || value === undefined) continue;
      let counts = valueCounts.get(key);
      if (counts === undefined) {
        counts = new Map();
        valueCounts.set(key, counts);
      }
      const text = String(value);
      counts.set(text, (counts.get(text) ?? 0) + 1);
      if (typeof value === 'string') hasString.add(key);
    }
  }
  return [...valueCounts.keys()].sort().map((attribute) =>
    hasString.has(attribute)
      ? {
          name: `attr_${attribute}`,
          kind: 'categorical',
          attribute,
          categories: buildCategoryDictionary(valueCounts.get(attribute)!),
        }
      : { name: `attr_${attribute}`, kind: 'numeric', attribute },
  );
}

function numericValue(value: AttributeValue): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  // A string where training saw only numbers: try it as a number rather than guess.
  return typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
}

export function attributeFeature(spec: AttributeFeatureSpec): FeatureDefinition {
  const description = `Profile attribute "${spec.attribute}"`;
  if (spec.kind === 'numeric') {
    return {
      name: spec.name,
      description,
      kind: 'numeric',
      compute: (c) => numericValue(c.attributes[spec.attribute]),
      phrase: (v) => (Number.isNaN(v) ? `no ${spec.attribute}` : `${spec.attribute} ${v}`),
    };
  }
  const categories = spec.categories ?? [];
  const codes = categoryCodes(categories);
  return {
    name: spec.name,
    description,
    kind: 'categorical',
    compute: (c) => {
      const value = c.attributes[spec.attribute];
      return value === null || value === undefined ? NaN : encodeCategory(codes, String(value));
    },
    // Code k + 1 is categories[k]; code 0 stands for values training did not keep.
    phrase: (v) => (Number.isNaN(v) ? `no ${spec.attribute}` : v >= 1 && v <= categories.length ? `${spec.attribute} "${categories[v - 1]}"` : `${spec.attribute} another value`),
  };
}
