import { createHash } from 'crypto';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ReservationRef } from '../domain/typology';
import { InsertBatcher } from './insert-batcher';
import { SEND_RESERVATION_MODEL, SendReservationDoc } from './send-reservation.schema';

export const reservationId = (r: Pick<ReservationRef, 'userId' | 'messageId' | 'heldAt'>) =>
  'r_' + createHash('sha256').update(JSON.stringify([r.userId, r.messageId, r.heldAt])).digest('hex').slice(0, 24);

@Injectable()
export class SendReservationsRepository {
  /** Concurrent sends' records share one insertMany. */
  private readonly inserts: InsertBatcher<SendReservationDoc>;

  constructor(@InjectModel(SEND_RESERVATION_MODEL) private readonly reservations: Model<SendReservationDoc>) {
    this.inserts = new InsertBatcher(reservations.collection);
  }

  /** Stores the reservation (once: a repeated decision has the same id) and returns its id. */
  async remember(reservation: ReservationRef, now = new Date()): Promise<string> {
    const _id = reservationId(reservation);
    await this.inserts.insert([{ _id, reservation, createdAt: now }]);
    return _id;
  }

  async find(id: string): Promise<ReservationRef | null> {
    const doc = await this.reservations.collection.findOne<SendReservationDoc>({ _id: id as never });
    return doc?.reservation ?? null;
  }
}
