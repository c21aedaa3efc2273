import { INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import { ApiKeysService } from '../../libs/access/api-keys.service';
import { Actor, Role, ROLES } from '../../libs/domain/access';

const TEST_ACTOR: Actor = { keyId: null, name: 'test setup', role: 'admin' };

/** A new API key of a role, made through the same service as the API and the key command line. */
export async function createKey(app: INestApplicationContext, role: Role, name = `test ${role}`): Promise<string> {
  return (await app.get(ApiKeysService).create({ role, name }, TEST_ACTOR)).token;
}

/** One key per role. */
export async function keysByRole(app: INestApplicationContext): Promise<Record<Role, string>> {
  const entries = await Promise.all(ROLES.map(async (role) => [role, await createKey(app, role)] as const));
  return Object.fromEntries(entries) as Record<Role, string>;
}

/** A supertest agent that sends the key on every request. */
export function withKey(server: Parameters<typeof request.agent>[0], token: string) {
  return request.agent(server).set('Authorization', `Bearer ${token}`);
}
