import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { IMPORT_ISSUE_MODEL, ImportIssueDoc } from './import-issue.schema';

export interface LineIssue {
  line: number;
  reason: string;
  text: string;
}

@Injectable()
export class ImportIssuesRepository {
  constructor(@InjectModel(IMPORT_ISSUE_MODEL) private readonly issues: Model<ImportIssueDoc>) {}

  /** Idempotent: a retried batch rewrites the same (import, line) records. */
  async record(importId: string, issues: readonly LineIssue[]): Promise<void> {
    if (issues.length === 0) return;
    await this.issues.collection.bulkWrite(
      issues.map((i) => ({
        replaceOne: {
          filter: { _id: `${importId}:${i.line}` },
          replacement: { importId, line: i.line, reason: i.reason, text: i.text.slice(0, 500) },
          upsert: true,
        },
      })) as never,
      { ordered: false },
    );
  }

  list(importId: string, limit: number): Promise<ImportIssueDoc[]> {
    return this.issues.find({ importId }).sort({ line: 1 }).limit(limit).lean<ImportIssueDoc[]>().exec();
  }

  count(importId: string): Promise<number> {
    return this.issues.countDocuments({ importId }).exec();
  }
}
