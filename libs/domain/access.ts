import { z } from 'zod';

/**
 * Who may call what. `admin`: keys, global settings, the audit log (and everything a manager does);
 * `manager`: predictions (later segments, typologies, journeys), read and write; `viewer`: read
 * only; `ingest`: users and events only. Each route lists the roles it admits.
 */
export const ROLES = ['admin', 'manager', 'viewer', 'ingest'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

/** Who made a change: the API key (id, name, role), or the key command line for keys it makes. */
export interface Actor {
  keyId: string | null;
  name: string;
  role: Role;
}

export const KEY_NAME_MAX = 100;
export const createApiKeySchema = z
  .object({
    role: roleSchema,
    name: z.string().trim().min(1).max(KEY_NAME_MAX).optional(),
  })
  .strict();
export type CreateApiKey = z.infer<typeof createApiKeySchema>;

/** An API key as it is shown (never its secret, which only its creator sees, once). */
export interface ApiKeyInfo {
  id: string;
  name: string;
  role: Role;
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
}

/** One configuration change as the audit log keeps it. */
export interface AuditEntry {
  id: string;
  at: Date;
  actor: Actor;
  action: string;
  resourceType: string;
  resourceId: string;
  before: unknown;
  after: unknown;
}

export type AuditChange = Pick<AuditEntry, 'action' | 'resourceType' | 'resourceId' | 'before' | 'after'>;

export const AUDIT_PAGE_MAX = 200;
/** Filters of GET /v1/audit: equality only, paged newest first with a cursor (`before` an entry id). */
export const auditQuerySchema = z
  .object({
    action: z.string().max(100).optional(),
    resourceType: z.string().max(100).optional(),
    resourceId: z.string().max(200).optional(),
    keyId: z.string().max(100).optional(),
    before: z.string().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(50),
  })
  .strict();
export type AuditQuery = z.infer<typeof auditQuerySchema>;
