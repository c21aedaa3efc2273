import { randomBytes } from 'crypto';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { DecisionRecord } from '../domain/typology';
import { DECISION_MODEL, DecisionDoc } from './decision.schema';

const toRecord = (d: DecisionDoc): DecisionRecord => ({
  userId: d.userId,
  messageId: d.messageId,
  typologyId: d.typologyId,
  channel: d.channel,
  outcome: d.outcome,
  rule: d.rule,
  ruleType: d.ruleType,
  reason: d.reason,
  until: d.until ? d.until.getTime() : null,
  at: d.at.getTime(),
});

/** Unique to this process: with a counter, unique ids without a random draw per record. */
const PROCESS_TAG = randomBytes(6).toString('hex');
let sequence = 0;
const sortable = (ms: number) => ms.toString(36).padStart(9, '0');
/** By decision time, then by when recorded: a release decided at the same instant as its send follows it. */
const byId = (a: DecisionDoc, b: DecisionDoc) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);

/** The insert-only log of typology decisions. */
@Injectable()
export class DecisionsRepository {
  constructor(@InjectModel(DECISION_MODEL) private readonly decisions: Model<DecisionDoc>) {}

  async record(records: readonly DecisionRecord[]): Promise<void> {
    if (records.length === 0) return;
    const docs = records.map((r) => ({
      ...r,
      // Sorts by decision time, then recording time; unique without coordination.
      _id: `${sortable(r.at)}-${sortable(Date.now())}-${PROCESS_TAG}${(sequence++).toString(36)}`,
      at: new Date(r.at),
      until: r.until === null ? null : new Date(r.until),
    }));
    await this.decisions.collection.insertMany(docs as never[], { ordered: false });
  }

  /** A user's decisions, newest first (sorted in Node: FerretDB v1 pushes no sort down). */
  async forUser(userId: string, limit = 100): Promise<DecisionRecord[]> {
    const docs = await this.decisions.find({ userId }).lean<DecisionDoc[]>().exec();
    return docs.sort(byId).reverse().slice(0, limit).map(toRecord);
  }

  async forMessage(messageId: string): Promise<DecisionRecord[]> {
    const docs = await this.decisions.find({ messageId }).lean<DecisionDoc[]>().exec();
    return docs.sort(byId).map(toRecord);
  }
}
