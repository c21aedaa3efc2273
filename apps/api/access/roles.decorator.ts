import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { Role } from '../../../libs/domain/access';
import { errorResponseSchema } from '../common/openapi-responses';

export const ROLES_KEY = 'propensity:roles';
export const PUBLIC_KEY = 'propensity:public';
/** The OpenAPI security scheme every protected route lists. */
export const API_KEY_SCHEME = 'api-key';

/** Who reads configuration and profiles. */
export const READERS: Role[] = ['admin', 'manager', 'viewer'];
/** Who changes predictions (later segments, typologies, journeys). */
export const CONFIGURERS: Role[] = ['admin', 'manager'];
/** Who sends users, events and imports. */
export const INGESTERS: Role[] = ['admin', 'ingest'];
/** Keys and the audit log. */
export const ADMINS: Role[] = ['admin'];

/** The roles a route admits. The guard refuses every route that declares neither this nor @Public(). */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(API_KEY_SCHEME),
    ApiResponse({ status: 401, description: 'No API key, or not a valid one', schema: errorResponseSchema }),
    ApiResponse({ status: 403, description: `The key's role is not one of: ${roles.join(', ')}`, schema: errorResponseSchema }),
  );

/** Open to anyone who can reach the port (health). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
