import { ZodTypeAny, z } from 'zod';
import { zodToJsonSchema } from 'zod-to-json-schema';
import { ValidationError } from '../../../libs/domain/errors';

/** Parses a request part with its one schema; a failure is a 400 naming each field and reason. */
export function parseOr400<S extends ZodTypeAny>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    'invalid request',
    parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', reason: i.message })),
  );
}

/** The same schema as OpenAPI shows it, so the docs can never drift from the validation. */
export function openApiSchema(schema: ZodTypeAny): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = (zodToJsonSchema as (s: unknown, o: unknown) => Record<string, unknown>)(schema, { target: 'openApi3' });
  return rest;
}
