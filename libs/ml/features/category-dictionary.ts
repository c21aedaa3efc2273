/**
 * Categorical values become small integer codes learnt on the training set. Code 0 is reserved for
 * values not in the dictionary (unseen at training time, or rarer than the kept ones), so a model
 * scores new values instead of failing. Codes stay <= 253, the largest the GBDT reads as a category.
 */
export const UNKNOWN_CATEGORY_CODE = 0;
export const MAX_CATEGORIES = 253;

/** The most frequent values (ties by value, for determinism); code of categories[k] is k + 1. */
export function buildCategoryDictionary(counts: ReadonlyMap<string, number>, maxCategories = MAX_CATEGORIES): string[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, maxCategories)
    .map(([value]) => value);
}

/** Fast lookup from value to code, built once per feature. */
export function categoryCodes(categories: readonly string[]): Map<string, number> {
  return new Map(categories.map((value, k) => [value, k + 1]));
}

export function encodeCategory(codes: ReadonlyMap<string, number>, value: string): number {
  return codes.get(value) ?? UNKNOWN_CATEGORY_CODE;
}
