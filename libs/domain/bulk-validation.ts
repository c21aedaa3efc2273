import { ZodTypeAny, z } from 'zod';

/** Why one item of a bulk request was refused: its position, the field and the reason. */
export interface ItemError {
  index: number;
  field: string;
  reason: string;
}

/**
 * Validates each item on its own, so one bad item never costs the valid rest. Every problem of a
 * refused item is reported (field path joined with dots; "(item)" when the item itself is wrong).
 */
export function validateEach<S extends ZodTypeAny>(
  schema: S,
  items: unknown[],
): { valid: { index: number; value: z.infer<S> }[]; errors: ItemError[] } {
  const valid: { index: number; value: z.infer<S> }[] = [];
  const errors: ItemError[] = [];
  items.forEach((item, index) => {
    const parsed = schema.safeParse(item);
    if (parsed.success) valid.push({ index, value: parsed.data });
    else
      for (const issue of parsed.error.issues) {
        errors.push({ index, field: issue.path.join('.') || '(item)', reason: issue.message });
      }
  });
  return { valid, errors };
}
