import { Module } from '@nestjs/common';
import { AccessModule } from '../../../libs/access/access.module';
import { ControlGroupController } from './control-group.controller';
import { ControlGroupService } from './control-group.service';

/** Global control group settings (admin). */
@Module({
  imports: [AccessModule],
  controllers: [ControlGroupController],
  providers: [ControlGroupService],
})
export class ControlGroupModule {}
