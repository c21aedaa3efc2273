import { Schema } from 'mongoose';

/**
 * One version of one send ledger (a user's reservations, or a capacity pool's day): `_id` =
 * `<key>#<version>`, written once by an insert (the only write FerretDB v1 makes atomic: E11000
 * for every other writer of the same version). `s` holds the whole state at that version; a
 * superseded version is later swept to a tombstone (`s` null, `swept` set), then deleted. `s` is JSON
 * text (older versions may hold the object).
 */
export interface SendLedgerDoc {
  _id: string;
  /** Ledger key, e.g. `user/<userId>` or `cap/email/2026-12-06`. */
  k: string;
  v: number;
  s: unknown;
  /** Written at. */
  t: Date;
  swept?: Date;
}

/**
 * Where a ledger's newest version probably is: a hint (raised with $max, may lag), never trusted
 * alone. Kept in `send_ledger` itself under `<key>#head` (no `k`: sweeps and searches by key skip
 * it), so a reader gets the hint and the first versions in one `_id: { $in }` round trip.
 */
export interface SendLedgerHintDoc {
  _id: string;
  h: number;
}

/** A once-only marker (e.g. one capacity release per reservation), unique by `_id`. */
export interface SendLedgerClaimDoc {
  _id: string;
  t: Date;
}

export const SEND_LEDGER_MODEL = 'SendLedger';
export const SEND_LEDGER_CLAIM_MODEL = 'SendLedgerClaim';

export const sendLedgerSchema = new Schema<SendLedgerDoc>(
  {
    _id: { type: String, required: true },
    k: { type: String, required: true },
    v: { type: Number, required: true },
    s: { type: Schema.Types.Mixed },
    t: { type: Date, required: true },
    swept: { type: Date },
  },
  { collection: 'send_ledger', versionKey: false, minimize: false },
);
// The fallback head search (a lost hint) and the sweeper look ledgers up by key.
sendLedgerSchema.index({ k: 1 });

export const sendLedgerClaimSchema = new Schema<SendLedgerClaimDoc>(
  { _id: { type: String, required: true }, t: { type: Date, required: true } },
  { collection: 'send_ledger_claims', versionKey: false },
);
