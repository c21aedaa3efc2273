import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AccessModule } from '../../../libs/access/access.module';
import { PredictionAnalyticsService } from './prediction-analytics.service';
import { PredictionsReconciler } from './predictions-reconciler.service';
import { PredictionsController } from './predictions.controller';
import { PredictionsService } from './predictions.service';

/** Predictions API and the schedule reconciler (the API process runs @nestjs/schedule timers). */
@Module({
  imports: [ScheduleModule.forRoot(), AccessModule],
  controllers: [PredictionsController],
  providers: [PredictionsService, PredictionsReconciler, PredictionAnalyticsService],
  exports: [PredictionsService, PredictionsReconciler],
})
export class PredictionsModule {}
