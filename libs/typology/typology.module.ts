import { Module } from '@nestjs/common';
import { SendDecisions } from './send-decisions.service';
import { StoredTypologyFacts, TYPOLOGY_FACTS } from './typology-facts';
import { TypologyDecider } from './typology-decider';

/**
 * The decider and its facts for Nest apps (the API and the worker), on the global persistence
 * module. Segment membership (for filtering rules that exclude segments) is the optional
 * SEGMENT_MEMBERSHIP provider: until the segments module provides it, such a rule fails loudly.
 */
@Module({
  providers: [TypologyDecider, { provide: TYPOLOGY_FACTS, useClass: StoredTypologyFacts }, SendDecisions],
  exports: [TypologyDecider, SendDecisions],
})
export class TypologyModule {}
