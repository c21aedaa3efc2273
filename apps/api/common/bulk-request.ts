import { z } from 'zod';

export const MAX_BULK_ITEMS = 10_000;

/** `{ <key>: [...] }` with 1..10,000 items; each item is validated on its own afterwards. */
export const bulkEnvelope = <K extends string>(key: K) =>
  z.object({ [key]: z.array(z.unknown()).min(1).max(MAX_BULK_ITEMS) } as Record<K, z.ZodArray<z.ZodUnknown>>).strict();
