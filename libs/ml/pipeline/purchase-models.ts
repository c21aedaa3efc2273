import type { ClvQuality, RecommendationQuality } from '../../domain/model-version';
import type { ClvDefinition, RecommendationDefinition } from '../../domain/prediction';
import { trainLifetimeValue } from './lifetime-value';
import { purchaseHistories, PurchaseTable } from './purchase-table';
import { serializeRecommender, trainRecommendations } from './recommendations';

/** A lifetime-value or recommendation fit over a stored purchase table (plain data: it may run on another thread). */
export type PurchaseFitInput = { table: PurchaseTable } & ({ kind: 'clv'; definition: ClvDefinition } | { kind: 'recommendation'; definition: RecommendationDefinition });

/**
 * The model version's content, or why the data cannot be learnt from (too short a history, too few
 * repeat buyers): a refusal as data rather than a thrown RangeError, so it crosses a thread intact.
 */
export type PurchaseFit =
  | { kind: 'clv'; params: Record<string, unknown>; metrics: ClvQuality; modelJson: string }
  | { kind: 'recommendation'; params: Record<string, unknown>; metrics: RecommendationQuality; modelJson: string }
  | { kind: 'refused'; reason: string };

/** Judges on the time-based holdout, then fits on every purchase. */
export function fitOnPurchases(input: PurchaseFitInput): PurchaseFit {
  const histories = purchaseHistories(input.table);
  const now = input.table.header.now;
  try {
    if (input.kind === 'clv') {
      const def = input.definition;
      const { model, quality } = trainLifetimeValue(histories, now, def);
      return { kind: 'clv', params: { ...def, bgNbd: model.model.bgNbd, gammaGamma: model.model.gammaGamma, spend: model.spend }, metrics: quality, modelJson: JSON.stringify(model) };
    }
    const def = input.definition;
    const { model, quality } = trainRecommendations(histories, now, def);
    return { kind: 'recommendation', params: { ...def, method: 'item-item cosine with shrinkage' }, metrics: quality, modelJson: serializeRecommender(model) };
  } catch (err) {
    // The pure fits refuse data they cannot learn from with a RangeError.
    if (err instanceof RangeError) return { kind: 'refused', reason: err.message };
    throw err;
  }
}
