import type { Connection } from 'mongoose';
import { DECISION_MODEL, decisionSchema } from '../persistence/decision.schema';
import { DecisionsRepository } from '../persistence/decisions.repository';
import { PREDICTION_MODEL, predictionSchema } from '../persistence/prediction.schema';
import { PredictionsRepository } from '../persistence/predictions.repository';
import { SCORE_SET_MODEL, scoreSetSchema } from '../persistence/score-set.schema';
import { ScoreSetsRepository } from '../persistence/score-sets.repository';
import { SendLedgerRepository } from '../persistence/send-ledger.repository';
import {
  SEND_LEDGER_CLAIM_MODEL,
  SEND_LEDGER_MODEL,
  sendLedgerClaimSchema,
  sendLedgerSchema,
} from '../persistence/send-ledger.schema';
import { SUPPRESSION_ENTRY_MODEL, suppressionEntrySchema } from '../persistence/suppression-entry.schema';
import { SuppressionListsRepository } from '../persistence/suppression-lists.repository';
import { TYPOLOGY_MODEL, typologySchema } from '../persistence/typology.schema';
import { TypologiesRepository } from '../persistence/typologies.repository';
import { SegmentMembership, StoredTypologyFacts } from './typology-facts';
import { TypologyDecider } from './typology-decider';

export interface StandaloneTypology {
  decider: TypologyDecider;
  ledger: SendLedgerRepository;
  decisions: DecisionsRepository;
  typologies: TypologiesRepository;
  suppressionLists: SuppressionListsRepository;
  scoreSets: ScoreSetsRepository;
  predictions: PredictionsRepository;
}

/**
 * The decider and its repositories on one mongoose connection, without Nest: for scripts,
 * benchmarks and the child processes of the concurrency tests (each its own caller).
 */
export function standaloneTypology(conn: Connection, segments?: SegmentMembership): StandaloneTypology {
  const ledger = new SendLedgerRepository(
    conn.model(SEND_LEDGER_MODEL, sendLedgerSchema),
    conn.model(SEND_LEDGER_CLAIM_MODEL, sendLedgerClaimSchema),
  );
  const decisions = new DecisionsRepository(conn.model(DECISION_MODEL, decisionSchema));
  const typologies = new TypologiesRepository(conn.model(TYPOLOGY_MODEL, typologySchema));
  const suppressionLists = new SuppressionListsRepository(conn.model(SUPPRESSION_ENTRY_MODEL, suppressionEntrySchema));
  const predictions = new PredictionsRepository(conn.model(PREDICTION_MODEL, predictionSchema));
  const scoreSets = new ScoreSetsRepository(conn.model(SCORE_SET_MODEL, scoreSetSchema));
  const facts = new StoredTypologyFacts(suppressionLists, predictions, scoreSets, segments);
  const decider = new TypologyDecider(ledger, decisions, typologies, facts);
  return { decider, ledger, decisions, typologies, suppressionLists, scoreSets, predictions };
}
