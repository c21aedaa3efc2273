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

const repositories = [EventsRepository, UsersRepository, ImportIssuesRepository];

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
    ]),
  ],
  providers: repositories,
  exports: repositories,
})
export class PersistenceModule {}
