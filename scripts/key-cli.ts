import 'reflect-metadata';
import { userInfo } from 'os';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AccessModule } from '../libs/access/access.module';
import { ApiKeysService } from '../libs/access/api-keys.service';
import { ConfigModule } from '../libs/config/config.module';
import { Actor, createApiKeySchema, ROLES } from '../libs/domain/access';
import { PersistenceModule } from '../libs/persistence/persistence.module';

const USAGE = `usage: npm run key -- create --role <${ROLES.join('|')}> [--name <name>]
       npm run key -- list
       npm run key -- revoke <key id>
Writes straight to the database (MONGODB_URI), so it works while the API is down. \`create\` prints the key
on stdout, once: only its hash is stored.`;

function fail(msg: string): never {
  console.error(`${msg}\n${USAGE}`);
  process.exit(2);
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return undefined;
  if (i + 1 >= args.length) fail(`--${name} needs a value`);
  return args[i + 1];
}

@Module({ imports: [ConfigModule, PersistenceModule, AccessModule] })
class KeyCliModule {}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (!['create', 'list', 'revoke'].includes(command)) fail(command ? `unknown command ${command}` : 'a command is required');
  // Keys made here are audited as made by the command line, under the account that ran it.
  const actor: Actor = { keyId: null, name: `cli:${userInfo().username}`, role: 'admin' };
  const app = await NestFactory.createApplicationContext(KeyCliModule, { logger: ['error', 'warn'] });
  try {
    const keys = app.get(ApiKeysService);
    if (command === 'create') {
      const input = createApiKeySchema.safeParse({ role: option(args, 'role'), name: option(args, 'name') });
      if (!input.success) fail(input.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
      const { key, token } = await keys.create(input.data, actor);
      console.error(`created ${key.role} key ${key.id} ("${key.name}"); it is shown only now:`);
      console.log(token);
    } else if (command === 'list') {
      for (const k of await keys.list()) {
        console.log([k.id, k.role.padEnd(7), k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active', k.createdAt.toISOString(), k.name].join('  '));
      }
    } else {
      if (!args[0]) fail('revoke needs a key id');
      const k = await keys.revoke(args[0], actor);
      console.error(`revoked ${k.id} ("${k.name}") at ${k.revokedAt!.toISOString()}`);
    }
  } finally {
    await app.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
