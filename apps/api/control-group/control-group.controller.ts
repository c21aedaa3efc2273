import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../../libs/domain/access';
import { updateControlGroupSchema } from '../../../libs/domain/control-group';
import { CurrentActor } from '../access/actor.decorator';
import { ADMINS, READERS, Roles } from '../access/roles.decorator';
import { ApiAnswers } from '../common/openapi-responses';
import { openApiSchema, parseOr400 } from '../common/zod-body';
import { controlGroupSettingsSchema } from '../segments/segments.responses';
import { ControlGroupService } from './control-group.service';

@ApiTags('settings')
@Controller('v1/settings/control-group')
export class ControlGroupController {
  constructor(@Inject(ControlGroupService) private readonly service: ControlGroupService) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'The global control group: the assignment in force and every earlier one' })
  @ApiAnswers({ schema: controlGroupSettingsSchema })
  get() {
    return this.service.get();
  }

  @Put()
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'Change the control group (1-15% of users; reshuffle draws a new salt); the previous assignment is kept' })
  @ApiBody({ schema: openApiSchema(updateControlGroupSchema) })
  @ApiAnswers({ schema: controlGroupSettingsSchema }, 400, 409, 413)
  update(@Body() raw: unknown, @CurrentActor() actor: Actor) {
    return this.service.update(parseOr400(updateControlGroupSchema, raw), actor);
  }
}
