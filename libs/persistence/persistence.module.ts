import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { FAIL_FAST_DATABASE } from './fail-fast-database.module';
import { ImportIssuesRepository } from './import-issues.repository';
import { importIssueSchema, IMPORT_ISSUE_MODEL } from './import-issue.schema';
import { PredictionsRepository } from './predictions.repository';
import { predictionSchema, PREDICTION_MODEL } from './prediction.schema';
import { ModelVersionsRepository } from './model-versions.repository';
import { modelVersionSchema, MODEL_VERSION_MODEL } from './model-version.schema';
import { ScoreSetsRepository } from './score-sets.repository';
import { scoreSetSchema, SCORE_SET_MODEL } from './score-set.schema';
import { TrainingSetsRepository } from './training-sets.repository';
import { trainingSetSchema, TRAINING_SET_MODEL } from './training-set.schema';
import { UserRecordsRepository } from './user-records/user-records.repository';
import { userRecordSchema, USER_RECORD_MODEL } from './user-records/user-record.schema';
import { SendLedgerRepository } from './send-ledger.repository';
import {
  sendLedgerSchema,
  sendLedgerClaimSchema,
  SEND_LEDGER_MODEL,
  SEND_LEDGER_CLAIM_MODEL,
} from './send-ledger.schema';
import { DecisionsRepository } from './decisions.repository';
import { decisionSchema, DECISION_MODEL } from './decision.schema';
import { TypologiesRepository } from './typologies.repository';
import { typologySchema, TYPOLOGY_MODEL } from './typology.schema';
import { SuppressionListsRepository } from './suppression-lists.repository';
import { suppressionEntrySchema, SUPPRESSION_ENTRY_MODEL } from './suppression-entry.schema';
import { SegmentDefinitionsRepository, segmentRevisionSchema, SEGMENT_REVISION_MODEL } from './segment-definitions.repository';
import { SegmentHeadsRepository, segmentHeadSchema, SEGMENT_HEAD_MODEL } from './segment-heads.repository';
import { SegmentMemberBucketsRepository, segmentMemberBucketSchema, SEGMENT_MEMBER_BUCKET_MODEL } from './segment-member-buckets.repository';
import { SegmentChangesRepository, segmentChangeSchema, SEGMENT_CHANGE_MODEL } from './segment-changes.repository';
import { ControlGroupSettingsRepository, controlGroupRevisionSchema, CONTROL_GROUP_REVISION_MODEL } from './control-group-settings.repository';
import { SendTimeProfilesRepository } from './send-time-profiles.repository';
import { sendTimeProfileSchema, SEND_TIME_PROFILE_MODEL } from './send-time-profile.schema';
import { SendReservationsRepository } from './send-reservations.repository';
import { sendReservationSchema, SEND_RESERVATION_MODEL } from './send-reservation.schema';

const repositories = [
  UserRecordsRepository,
  ImportIssuesRepository,
  // predictions (issue 4)
  PredictionsRepository,
  ModelVersionsRepository,
  ScoreSetsRepository,
  TrainingSetsRepository,
  // typology (issue 16)
  SendLedgerRepository,
  DecisionsRepository,
  TypologiesRepository,
  SuppressionListsRepository,
  // segments and the control group (issue 16)
  SegmentDefinitionsRepository,
  SegmentHeadsRepository,
  SegmentMemberBucketsRepository,
  SegmentChangesRepository,
  ControlGroupSettingsRepository,
  SendTimeProfilesRepository,
  SendReservationsRepository,
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
      { name: USER_RECORD_MODEL, schema: userRecordSchema },
      { name: IMPORT_ISSUE_MODEL, schema: importIssueSchema },
      { name: PREDICTION_MODEL, schema: predictionSchema },
      { name: MODEL_VERSION_MODEL, schema: modelVersionSchema },
      { name: SCORE_SET_MODEL, schema: scoreSetSchema },
      { name: TRAINING_SET_MODEL, schema: trainingSetSchema },
      { name: SEND_LEDGER_MODEL, schema: sendLedgerSchema },
      { name: SEND_LEDGER_CLAIM_MODEL, schema: sendLedgerClaimSchema },
      { name: DECISION_MODEL, schema: decisionSchema },
      { name: TYPOLOGY_MODEL, schema: typologySchema },
      { name: SUPPRESSION_ENTRY_MODEL, schema: suppressionEntrySchema },
      { name: SEGMENT_REVISION_MODEL, schema: segmentRevisionSchema },
      { name: SEGMENT_HEAD_MODEL, schema: segmentHeadSchema },
      { name: SEGMENT_MEMBER_BUCKET_MODEL, schema: segmentMemberBucketSchema },
      { name: SEGMENT_CHANGE_MODEL, schema: segmentChangeSchema },
      { name: CONTROL_GROUP_REVISION_MODEL, schema: controlGroupRevisionSchema },
      { name: SEND_TIME_PROFILE_MODEL, schema: sendTimeProfileSchema },
      { name: SEND_RESERVATION_MODEL, schema: sendReservationSchema },
    ]),
  ],
  providers: repositories,
  exports: repositories,
})
export class PersistenceModule {}
