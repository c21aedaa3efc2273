import { z } from 'zod';
import { ItemError } from '../../../libs/domain/bulk-validation';
import { ValidationError } from '../../../libs/domain/errors';

export const MAX_BULK_ITEMS = 10_000;

/** `{ <key>: [...] }` with 1..10,000 items; each item is validated on its own afterwards. */
export const bulkEnvelope = <K extends string>(key: K) =>
  z.object({ [key]: z.array(z.unknown()).min(1).max(MAX_BULK_ITEMS) } as Record<K, z.ZodArray<z.ZodUnknown>>).strict();

/** A bulk request none of whose items is usable: a 400 naming each item's field (`events.3.ts`). */
export function noValidItem(key: string, errors: ItemError[]): ValidationError {
  return new ValidationError(
    `no valid item in ${key}`,
    errors.map((e) => ({ field: `${key}.${e.index}.${e.field}`, reason: e.reason })),
  );
}

/** What a bulk answer says of each refused item (a 200 with the valid rest stored). */
export const rejectedItemsSchema = z.array(z.object({ index: z.number().int(), field: z.string(), reason: z.string() }));
