import { z } from 'zod';
import { typologySchema } from '../../../libs/domain/typology';

export const typologyResponseSchema = typologySchema;
export const typologyChangedSchema = z.object({ typology: typologyResponseSchema });
export const typologyDeletedSchema = z.object({ id: z.string(), deleted: z.literal(true) });

export const suppressionAddedSchema = z.object({ listId: z.string(), added: z.number().int() });
export const suppressionRemovedSchema = z.object({ listId: z.string(), removed: z.number().int() });
export const suppressionCheckSchema = z.object({ listId: z.string(), listed: z.boolean() });
