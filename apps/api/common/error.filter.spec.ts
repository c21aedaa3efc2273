import { NotFoundException } from '@nestjs/common';
import { MongoBulkWriteError, MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import { ConflictError, NotFoundError, ValidationError } from '../../../libs/domain/errors';
import { errorBodySchema } from './error-body';
import { render } from './error.filter';
import { PayloadTooLargeError, TooManyRequestsError } from './http-errors';

describe('render (the one error shape)', () => {
  const grpcUnavailable = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14, details: 'No connection established', metadata: {} });

  it.each([
    ['a validation error', new ValidationError('invalid request', [{ field: 'events.3.ts', reason: 'Invalid date' }]), 400],
    ['a missing thing', new NotFoundError('no prediction p_1'), 404],
    ['a conflict', new ConflictError('archived'), 409],
    ['Nest\'s route-not-found', new NotFoundException('Cannot GET /nowhere'), 404],
    ['a body over its cap', Object.assign(new Error('request entity too large'), { status: 413, expose: true, type: 'entity.too.large', limit: 65536 }), 413],
    ['a body that is not JSON', Object.assign(new Error('Unexpected token } in JSON'), { status: 400, expose: true, type: 'entity.parse.failed' }), 400],
    ['a rate limit', new TooManyRequestsError('slow down', 3), 429],
    ['MongoDB unreachable', new MongoServerSelectionError('Server selection timed out after 1000 ms', {} as never), 503],
    ['MongoDB lost mid-bulk-write', new MongoBulkWriteError(new MongoNetworkError('connection closed'), { insertedCount: 0 } as never), 503],
    ['Temporal unreachable', Object.assign(new Error('Failed to start workflow'), { cause: grpcUnavailable }), 503],
    ['anything else', new TypeError('x is undefined'), 500],
  ])('renders %s in the shape with its status', (_what, err, status) => {
    const { body } = render(err);
    expect(errorBodySchema.parse(body)).toEqual(body);
    expect(body.statusCode).toBe(status);
  });

  it('names the fields at fault only when there are some', () => {
    expect(render(new ValidationError('bad', [{ field: '(body)', reason: 'Required' }])).body.errors).toEqual([{ field: '(body)', reason: 'Required' }]);
    expect(render(new NotFoundError('no')).body).not.toHaveProperty('errors');
    expect(render(new PayloadTooLargeError('too big')).body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });

  it('asks to retry after a while when a dependency is down or a limit is hit, and hides internal messages', () => {
    expect(render(new MongoNetworkError('connection refused'))).toMatchObject({ retryAfterSeconds: 5, body: { message: 'mongodb is unavailable: retry later' } });
    expect(render(new TooManyRequestsError('slow down', 3)).retryAfterSeconds).toBe(3);
    expect(render(new TypeError('secret internals')).body.message).toBe('internal error');
    // A duplicate-key bulk error is not an outage.
    expect(render(new MongoBulkWriteError({ message: 'E11000', code: 11000, writeErrors: [{ code: 11000 }] as never }, { insertedCount: 0 } as never)).body.statusCode).toBe(500);
  });
});
