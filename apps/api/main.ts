import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { APP_CONFIG } from '../../libs/config/config.module';
import { AppConfig } from '../../libs/config/config';
import { API_KEY_SCHEME } from './access/roles.decorator';
import { AppModule } from './app.module';
import { ApiMetrics } from './metrics/api-metrics';

export async function createApi() {
  // No global body parser: each route parses its JSON body within its own cap (JsonBodyInterceptor).
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  // What was logged while the modules started goes out now, and nothing is held back after: without
  // this, Nest keeps buffering until listen(), so an app that is only init()ed (the tests) loses its logs.
  app.flushLogs();
  app.use(app.get(ApiMetrics).countRequests);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // The OpenAPI page is served over plain HTTP by default (TLS ends at a proxy): do not rewrite its assets to https.
          upgradeInsecureRequests: null,
        },
      },
    }),
  );
  app.enableShutdownHooks();
  const doc = new DocumentBuilder()
    .setTitle('Propensity API')
    .setDescription(
      'Users and events in; predictions, scores, segments and journeys out. Every route but /health and /metrics needs an API key ' +
        '(Authorization: Bearer <key>) whose role the route admits: admin, manager, viewer or ingest. ' +
        'Errors all have one shape: { statusCode, error, message, errors?: [{ field, reason }] }.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key: npm run key -- create --role <role>' }, API_KEY_SCHEME)
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc), { swaggerOptions: { persistAuthorization: true } });
  return app;
}

async function main(): Promise<void> {
  const app = await createApi();
  const cfg = app.get<AppConfig>(APP_CONFIG);
  await app.listen(cfg.API_PORT, cfg.API_HOST);
  app.get(Logger).log(`API on http://${cfg.API_HOST}:${cfg.API_PORT} (docs at /docs)`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
