import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { APP_CONFIG } from '../../libs/config/config.module';
import { AppConfig } from '../../libs/config/config';
import { AppModule } from './app.module';

export async function createApi() {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  // Bulk requests of 10,000 events are a few MB.
  app.useBodyParser('json', { limit: '20mb' });
  app.enableShutdownHooks();
  const doc = new DocumentBuilder()
    .setTitle('Propensity API')
    .setDescription('Users and events in; predictions, scores, segments and journeys out.')
    .setVersion('0.1.0')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc));
  return app;
}

async function main(): Promise<void> {
  const app = await createApi();
  const cfg = app.get<AppConfig>(APP_CONFIG);
  await app.listen(cfg.API_PORT, '0.0.0.0');
  app.get(Logger).log(`API on http://localhost:${cfg.API_PORT} (docs at /docs)`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
