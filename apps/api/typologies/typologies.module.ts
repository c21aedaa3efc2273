import { Module } from '@nestjs/common';
import { AccessModule } from '../../../libs/access/access.module';
import { SuppressionListsController } from './suppression-lists.controller';
import { TypologiesController } from './typologies.controller';
import { TypologiesService } from './typologies.service';

/** Typologies and the suppression lists their filtering rules name. */
@Module({
  imports: [AccessModule],
  controllers: [TypologiesController, SuppressionListsController],
  providers: [TypologiesService],
})
export class TypologiesModule {}
