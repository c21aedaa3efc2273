import { Module } from '@nestjs/common';
import { SegmentPopulation } from '../../../activities/segments/segment-population';
import { AccessModule } from '../../../libs/access/access.module';
import { SegmentsController } from './segments.controller';
import { SegmentsService } from './segments.service';

/** Segments API: definitions, preview, members and changes (the segment workflows materialise them). */
@Module({
  imports: [AccessModule],
  controllers: [SegmentsController],
  // The preview loads users as the evaluation activities do.
  providers: [SegmentsService, SegmentPopulation],
})
export class SegmentsModule {}
