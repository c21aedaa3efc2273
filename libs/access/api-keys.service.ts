import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { Actor, ApiKeyInfo, CreateApiKey } from '../domain/access';
import { NotFoundError } from '../domain/errors';
import { ApiKeyDoc } from '../persistence/api-key.schema';
import { ApiKeysRepository } from '../persistence/api-keys.repository';
import { mintKey, parseToken, secretMatches } from './api-key-token';
import { AuditService } from './audit.service';

export function toApiKeyInfo(d: ApiKeyDoc): ApiKeyInfo {
  return { id: d._id, name: d.name, role: d.role, createdAt: d.createdAt, createdBy: d.createdBy, revokedAt: d.revokedAt };
}

/**
 * API keys: made (the key is returned once, only its hash is stored), listed, revoked, and checked on
 * every request. Checked keys are cached for API_KEY_CACHE_SECONDS, so a key revoked through another
 * process (another API instance, the command line) keeps working there for at most that long; the
 * process that revokes it forgets it at once.
 */
@Injectable()
export class ApiKeysService {
  private readonly cache = new Map<string, { doc: ApiKeyDoc; until: number }>();

  constructor(
    @Inject(ApiKeysRepository) private readonly keys: ApiKeysRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  async create(input: CreateApiKey, actor: Actor): Promise<{ key: ApiKeyInfo; token: string }> {
    const minted = mintKey();
    const doc: ApiKeyDoc = {
      _id: minted.id,
      name: input.name ?? `${input.role} key`,
      role: input.role,
      secretHash: minted.secretHash,
      createdAt: new Date(),
      createdBy: actor.keyId ? `${actor.keyId} (${actor.name})` : actor.name,
      revokedAt: null,
    };
    await this.keys.create(doc);
    const key = toApiKeyInfo(doc);
    await this.audit.record(actor, { action: 'key.create', resourceType: 'key', resourceId: key.id, before: null, after: key });
    return { key, token: minted.token };
  }

  async list(): Promise<ApiKeyInfo[]> {
    return (await this.keys.list()).map(toApiKeyInfo);
  }

  async revoke(id: string, actor: Actor): Promise<ApiKeyInfo> {
    const before = await this.keys.findById(id);
    if (!before) throw new NotFoundError(`no key ${id}`);
    const after = await this.keys.revoke(id, new Date());
    this.cache.delete(id);
    if (before.revokedAt === null) {
      await this.audit.record(actor, { action: 'key.revoke', resourceType: 'key', resourceId: id, before: toApiKeyInfo(before), after: toApiKeyInfo(after!) });
    }
    return toApiKeyInfo(after!);
  }

  /** The actor a presented key stands for, or null when it is malformed, unknown, wrong or revoked. */
  async authenticate(token: string): Promise<Actor | null> {
    const parsed = parseToken(token);
    if (!parsed) return null;
    const doc = await this.lookup(parsed.id);
    if (!doc || doc.revokedAt !== null || !secretMatches(parsed.secret, doc.secretHash)) return null;
    return { keyId: doc._id, name: doc.name, role: doc.role };
  }

  private async lookup(id: string): Promise<ApiKeyDoc | null> {
    const hit = this.cache.get(id);
    if (hit && hit.until > Date.now()) return hit.doc;
    const doc = await this.keys.findById(id);
    // Only stored keys are cached (there are few); unknown ids are what failed-authentication limits are for.
    if (doc && this.cfg.API_KEY_CACHE_SECONDS > 0) this.cache.set(id, { doc, until: Date.now() + this.cfg.API_KEY_CACHE_SECONDS * 1000 });
    else this.cache.delete(id);
    return doc;
  }
}
