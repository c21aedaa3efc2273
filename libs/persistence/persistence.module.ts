import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { EventsRepository } from './events.repository';
import { FAIL_FAST_DATABASE } from './fail-fast-database.module';
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
];

/** One MongoDB connection (FerretDB by default) and a repository per collection. */
@Global()
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [APP_CONFIG, { token: FAIL_FAST_DATABASE, optional: true }],
      useFactory: (cfg: AppConfig, failFast?: boolean) =>
        failFast
          ? { uri: cfg.MONGODB_URI, bufferCommands: false, serverSelectionTimeoutMS: cfg.API_MONGODB_TIMEOUT_MS }
          : { uri: cfg.MONGODB_URI, serverSelectionTimeoutMS: 10_000 },
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
    ]),
  ],
  providers: repositories,
  exports: repositories,
})
export class PersistenceModule {}
