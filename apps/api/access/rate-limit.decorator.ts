import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { errorResponseSchema } from '../common/openapi-responses';

export const RATE_LIMIT_KEY = 'propensity:rate-limit';

/** Ingestion routes share one budget per API key (RATE_LIMIT_INGEST_PER_MINUTE). */
export const IngestRateLimit = () =>
  applyDecorators(
    SetMetadata(RATE_LIMIT_KEY, 'ingest'),
    ApiResponse({ status: 429, description: 'Rate limit of this API key reached (Retry-After says when to retry)', schema: errorResponseSchema }),
  );
