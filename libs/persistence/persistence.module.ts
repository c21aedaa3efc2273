import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { EventsRepository } from './events.repository';
import { eventSchema, EVENT_MODEL } from './event.schema';
import { ImportIssuesRepository } from './import-issues.repository';
import { importIssueSchema, IMPORT_ISSUE_MODEL } from './import-issue.schema';
import { UsersRepository } from './users.repository';
import { userSchema, USER_MODEL } from './user.schema';
import { PredictionsRepository } from './predictions.repository';
import { predictionSchema, PREDICTION_MODEL } from './prediction.schema';
import { ModelVersionsRepository } from './model-versions.repository';
import { modelVersionSchema, MODEL_VERSION_MODEL } from './model-version.schema';
import { ScoresRepository } from './scores.repository';
import { scoreSchema, SCORE_MODEL } from './score.schema';
import { scoreSnapshotSchema, SCORE_SNAPSHOT_MODEL } from './score-snapshot.schema';
import { TrainingSetsRepository } from './training-sets.repository';
import { trainingSetSchema, TRAINING_SET_MODEL } from './training-set.schema';
import { UserHistoriesReader } from './user-histories.reader';
import { SendLedgerRepository } from './send-ledger.repository';
import {
  sendLedgerSchema,
  sendLedgerHeadSchema,
  sendLedgerClaimSchema,
  SEND_LEDGER_MODEL,
  SEND_LEDGER_HEAD_MODEL,
  SEND_LEDGER_CLAIM_MODEL,
} from './send-ledger.schema';
import { DecisionsRepository } from './decisions.repository';
import { decisionSchema, DECISION_MODEL } from './decision.schema';
import { TypologiesRepository } from './typologies.repository';
import { typologySchema, TYPOLOGY_MODEL } from './typology.schema';
import { SuppressionListsRepository } from './suppression-lists.repository';
import { suppressionEntrySchema, SUPPRESSION_ENTRY_MODEL } from './suppression-entry.schema';

const repositories = [
  EventsRepository,
  UsersRepository,
  ImportIssuesRepository,
  // predictions (issue 4)
  PredictionsRepository,
  ModelVersionsRepository,
  ScoresRepository,
  TrainingSetsRepository,
  UserHistoriesReader,
  // typology (issue 16)
  SendLedgerRepository,
  DecisionsRepository,
  TypologiesRepository,
  SuppressionListsRepository,
];

/** One MongoDB connection (FerretDB by default) and a repository per collection. */
@Global()
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (cfg: AppConfig) => ({ uri: cfg.MONGODB_URI, serverSelectionTimeoutMS: 10_000 }),
    }),
    MongooseModule.forFeature([
      { name: EVENT_MODEL, schema: eventSchema },
      { name: USER_MODEL, schema: userSchema },
      { name: IMPORT_ISSUE_MODEL, schema: importIssueSchema },
      { name: PREDICTION_MODEL, schema: predictionSchema },
      { name: MODEL_VERSION_MODEL, schema: modelVersionSchema },
      { name: SCORE_MODEL, schema: scoreSchema },
      { name: SCORE_SNAPSHOT_MODEL, schema: scoreSnapshotSchema },
      { name: TRAINING_SET_MODEL, schema: trainingSetSchema },
      { name: SEND_LEDGER_MODEL, schema: sendLedgerSchema },
      { name: SEND_LEDGER_HEAD_MODEL, schema: sendLedgerHeadSchema },
      { name: SEND_LEDGER_CLAIM_MODEL, schema: sendLedgerClaimSchema },
      { name: DECISION_MODEL, schema: decisionSchema },
      { name: TYPOLOGY_MODEL, schema: typologySchema },
      { name: SUPPRESSION_ENTRY_MODEL, schema: suppressionEntrySchema },
    ]),
  ],
  providers: repositories,
  exports: repositories,
})
export class PersistenceModule {}
