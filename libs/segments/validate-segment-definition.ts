import { FieldError } from '../domain/field-error';
import { SegmentDefinition } from '../domain/segment-definition';
import { SegmentCatalogue, referenceProblems } from './definition-references';
import { SegmentDependencies, dependencies } from './dependencies';
import { segmentDefinitionSchema } from './segment-definition.schema';

export type SegmentValidation =
  | { ok: true; definition: SegmentDefinition; dependencies: SegmentDependencies }
  | { ok: false; errors: FieldError[] };

/**
 * The entry point for a definition from outside: shape (the schema), then references (the catalogue).
 * `at` is where the definition sits in the request body (e.g. "definition"), so each field is named
 * from the body's root; the definition itself at the root is "(body)". Nothing of the input reaches
 * anything else unless this says ok.
 */
export function validateSegmentDefinition(input: unknown, catalogue: SegmentCatalogue, options: { segmentId?: string; at?: string } = {}): SegmentValidation {
  const field = (path: (string | number)[]) => [options.at, ...path].filter((p) => p !== undefined && p !== '').join('.') || '(body)';
  const parsed = segmentDefinitionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => ({ field: field(i.path), reason: i.message })) };
  const problems = referenceProblems(parsed.data, catalogue, options.segmentId);
  if (problems.length > 0) return { ok: false, errors: problems.map((p) => ({ field: field(p.path), reason: p.reason })) };
  return { ok: true, definition: parsed.data, dependencies: dependencies(parsed.data) };
}
