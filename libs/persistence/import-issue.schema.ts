import { Schema } from 'mongoose';

/** A malformed line of an import file, kept so nothing is silently dropped. One per (import, line). */
export interface ImportIssueDoc {
  _id: string; // `${importId}:${line}`
  importId: string;
  line: number;
  reason: string;
  text: string;
}

export const IMPORT_ISSUE_MODEL = 'ImportIssue';

export const importIssueSchema = new Schema<ImportIssueDoc>(
  {
    _id: { type: String, required: true },
    importId: { type: String, required: true },
    line: { type: Number, required: true },
    reason: { type: String, required: true },
    text: { type: String, required: true },
  },
  { collection: 'import_issues', versionKey: false },
);
importIssueSchema.index({ importId: 1, line: 1 });
