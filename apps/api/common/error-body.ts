import { STATUS_CODES } from 'http';
import { z } from 'zod';
import { FieldError } from '../../../libs/domain/errors';

/** The one shape of every non-2xx answer of the API (shared contract; `errors` only when fields are at fault). */
export const errorBodySchema = z
  .object({
    statusCode: z.number().int().min(400).max(599),
    error: z.string(),
    message: z.string(),
    errors: z.array(z.object({ field: z.string(), reason: z.string() }).strict()).min(1).optional(),
  })
  .strict();
export type ErrorBody = z.infer<typeof errorBodySchema>;

export function errorBody(statusCode: number, message: string, errors?: FieldError[]): ErrorBody {
  const body: ErrorBody = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
  if (errors && errors.length > 0) body.errors = errors;
  return body;
}
