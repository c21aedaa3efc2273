import { Module } from '@nestjs/common';
import { TypologyModule } from '../../../libs/typology/typology.module';
import { DecisionsController } from './decisions.controller';
import { DecisionsService } from './decisions.service';

/** Typology decisions over HTTP (journeys call the same decider through activities). */
@Module({
  imports: [TypologyModule],
  controllers: [DecisionsController],
  providers: [DecisionsService],
})
export class DecisionsModule {}
