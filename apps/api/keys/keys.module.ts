import { Module } from '@nestjs/common';
import { AccessModule } from '../../../libs/access/access.module';
import { KeysController } from './keys.controller';

@Module({ imports: [AccessModule], controllers: [KeysController] })
export class KeysModule {}
