import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../../../libs/access/audit.service';
import { Actor } from '../../../libs/domain/access';
import { ConflictError, NotFoundError } from '../../../libs/domain/errors';
import { Typology, typologySchema } from '../../../libs/domain/typology';
import { SuppressedValue, SuppressionListsRepository } from '../../../libs/persistence/suppression-lists.repository';
import { TypologiesRepository } from '../../../libs/persistence/typologies.repository';

/**
 * Typologies and suppression lists as configuration: stored, then recorded in the audit log.
 * Deciders re-read a typology at most TYPOLOGY_TTL (10 s) after it changed.
 */
@Injectable()
export class TypologiesService {
  constructor(
    @Inject(TypologiesRepository) private readonly typologies: TypologiesRepository,
    @Inject(SuppressionListsRepository) private readonly suppressionLists: SuppressionListsRepository,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  list(): Promise<Typology[]> {
    return this.typologies.list();
  }

  async get(id: string): Promise<Typology> {
    const stored = await this.typologies.findById(id);
    if (!stored) throw new NotFoundError(`no typology with id ${id}`);
    // Parsed again: a definition stored before a rule gained a field shows its default.
    return typologySchema.parse(stored);
  }

  async create(t: Typology, actor: Actor): Promise<{ typology: Typology }> {
    if (!(await this.typologies.create(t))) throw new ConflictError(`typology ${t.id} already exists`);
    await this.audit.record(actor, { action: 'typology.create', resourceType: 'typology', resourceId: t.id, before: null, after: t });
    return { typology: t };
  }

  async replace(t: Typology, actor: Actor): Promise<{ typology: Typology }> {
    const before = await this.get(t.id);
    if (!(await this.typologies.replace(t))) throw new NotFoundError(`no typology with id ${t.id}`);
    await this.audit.record(actor, { action: 'typology.update', resourceType: 'typology', resourceId: t.id, before, after: t });
    return { typology: t };
  }

  async delete(id: string, actor: Actor): Promise<{ id: string; deleted: true }> {
    const before = await this.get(id);
    if (!(await this.typologies.delete(id))) throw new NotFoundError(`no typology with id ${id}`);
    await this.audit.record(actor, { action: 'typology.delete', resourceType: 'typology', resourceId: id, before, after: null });
    return { id, deleted: true };
  }

  async addSuppressed(listId: string, values: SuppressedValue[], actor: Actor): Promise<{ listId: string; added: number }> {
    const added = await this.suppressionLists.add(listId, values);
    await this.audit.record(actor, { action: 'suppression-list.add', resourceType: 'suppression-list', resourceId: listId, before: null, after: { values, added } });
    return { listId, added };
  }

  async removeSuppressed(listId: string, values: SuppressedValue[], actor: Actor): Promise<{ listId: string; removed: number }> {
    const removed = await this.suppressionLists.remove(listId, values);
    await this.audit.record(actor, { action: 'suppression-list.remove', resourceType: 'suppression-list', resourceId: listId, before: { values, removed }, after: null });
    return { listId, removed };
  }

  async isSuppressed(listId: string, value: SuppressedValue): Promise<{ listId: string; listed: boolean }> {
    return { listId, listed: (await this.suppressionLists.listsHolding([listId], [value])).has(listId) };
  }
}
