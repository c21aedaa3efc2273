import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { apiKeySchema, API_KEY_MODEL } from '../persistence/api-key.schema';
import { ApiKeysRepository } from '../persistence/api-keys.repository';
import { auditEntrySchema, AUDIT_ENTRY_MODEL } from '../persistence/audit-entry.schema';
import { AuditLogRepository } from '../persistence/audit-log.repository';
import { ApiKeysService } from './api-keys.service';
import { AuditService } from './audit.service';

/**
 * API keys and the audit log, for the API and the key command line alike (both write through these
 * services). Needs ConfigModule and PersistenceModule's connection.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: API_KEY_MODEL, schema: apiKeySchema },
      { name: AUDIT_ENTRY_MODEL, schema: auditEntrySchema },
    ]),
  ],
  providers: [ApiKeysRepository, AuditLogRepository, ApiKeysService, AuditService],
  exports: [ApiKeysService, AuditService],
})
export class AccessModule {}
