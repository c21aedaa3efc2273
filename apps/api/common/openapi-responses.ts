import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ZodTypeAny } from 'zod';
import { errorBodySchema } from './error-body';
import { openApiSchema } from './zod-body';

export const errorResponseSchema = openApiSchema(errorBodySchema);

const ERROR_MEANING: Record<number, string> = {
  400: 'Invalid input: every field at fault in `errors`',
  404: 'Not found',
  409: 'Refused in the current state',
  413: 'Request body over the limit of this route',
  503: 'A dependency (MongoDB, Temporal) is down: retry after Retry-After seconds',
};

/** The success response of a route (from its zod schema) and the error responses it may give. */
export const ApiAnswers = (ok: { status?: number; schema: ZodTypeAny; description?: string }, ...errors: (keyof typeof ERROR_MEANING)[]) =>
  applyDecorators(
    ApiResponse({ status: ok.status ?? 200, description: ok.description ?? 'Success', schema: openApiSchema(ok.schema) }),
    ...[...new Set([...errors, 503])].map((status) => ApiResponse({ status, description: ERROR_MEANING[status], schema: errorResponseSchema })),
  );
