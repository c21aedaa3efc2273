import type { IncomingMessage } from 'http';
import { Actor } from '../../../libs/domain/access';

/** An Express request as the API reads it (Express ships no types here), once the guard has checked its key. */
export interface ApiRequest extends IncomingMessage {
  ip?: string;
  body?: unknown;
  actor?: Actor;
}
