import { Schema } from 'mongoose';
import { ReservationRef } from '../domain/typology';

/**
 * A reservation handed out over HTTP (POST /v1/decisions), so a caller confirms or releases it by
 * id: `_id` = `r_` + a hash of user, message and hold time (the same decision repeated maps to the
 * same id). Journeys get the reservation itself from decideSend and never need this.
 */
export interface SendReservationDoc {
  _id: string;
  reservation: ReservationRef;
  createdAt: Date;
}

export const SEND_RESERVATION_MODEL = 'SendReservation';

export const sendReservationSchema = new Schema<SendReservationDoc>(
  {
    _id: { type: String, required: true },
    reservation: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'send_reservations', versionKey: false },
);
