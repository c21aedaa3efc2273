import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { mkdir } from 'fs/promises';
import { APP_CONFIG } from '../../../libs/config/config.module';
import { AppConfig } from '../../../libs/config/config';
import { ImportsController } from './imports.controller';

@Module({ controllers: [ImportsController] })
export class ImportsModule implements OnModuleInit {
  constructor(@Inject(APP_CONFIG) private readonly cfg: AppConfig) {}

  /** The import folder exists from the start (uploads land in it). */
  async onModuleInit(): Promise<void> {
    await mkdir(this.cfg.IMPORT_DIR, { recursive: true });
  }
}
