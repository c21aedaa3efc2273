import { SegmentDefinition } from '../domain/segment-definition';
import { conditionsOf } from './segment-tree';

/** What a condition reads of a prediction's score: the 0-100 score, category, percentile, or a kind's own output. */
export type PredictionOutput = 'score' | 'category' | 'percentile' | 'clv' | 'recommendations';
export type SubjectPart = 'profile' | 'events' | 'scores' | 'segments' | 'controlGroup';

/**
 * What a definition reads, so the caller knows which subject parts to load (scores alone are cheap,
 * events are not), which rescore or ingestion must re-evaluate it, and which windows to summarise.
 * Every list is sorted and free of duplicates.
 */
export interface SegmentDependencies {
  predictions: { predictionId: string; reads: PredictionOutput[] }[];
  segments: string[];
  /** Event types read by name. */
  eventTypes: string[];
  /** Reads events of any type (a condition without eventType): every ingested event may matter. */
  anyEventType: boolean;
  /** The windows of count and sum conditions (what `summarizeEvents` must accumulate). */
  eventWindowsDays: number[];
  attributes: string[];
  subscription: boolean;
  controlGroup: boolean;
  /** Membership can change with the clock alone (windows, recency, relative dates): re-evaluate periodically. */
  timeDependent: boolean;
  subjectParts: SubjectPart[];
}

export function dependencies(definition: SegmentDefinition): SegmentDependencies {
  return mergeDependencies([definition]);
}

/** The union of what several definitions read (e.g. every segment evaluated in one pass). */
export function mergeDependencies(definitions: readonly SegmentDefinition[]): SegmentDependencies {
  const predictions = new Map<string, Set<PredictionOutput>>();
  const segments = new Set<string>();
  const eventTypes = new Set<string>();
  const windows = new Set<number>();
  const attributes = new Set<string>();
  let anyEventType = false;
  let subscription = false;
  let controlGroup = false;
  let timeDependent = false;
  const reads = (predictionId: string, output: PredictionOutput) => {
    const set = predictions.get(predictionId) ?? new Set<PredictionOutput>();
    set.add(output);
    predictions.set(predictionId, set);
  };
  for (const definition of definitions)
    for (const { condition: c } of conditionsOf(definition)) {
      switch (c.type) {
        case 'predictionScore':
          reads(c.predictionId, 'score');
          break;
        case 'predictionCategory':
          reads(c.predictionId, 'category');
          break;
        case 'predictionPercentile':
          reads(c.predictionId, 'percentile');
          break;
        case 'clvValue':
        case 'clvTier':
        case 'clvPercentile':
          reads(c.predictionId, 'clv');
          break;
        case 'topRecommendation':
        case 'recommendationScore':
          reads(c.predictionId, 'recommendations');
          break;
        case 'attributeDateRange':
          timeDependent ||= typeof c.from === 'object' || typeof c.to === 'object';
          attributes.add(c.attribute);
          break;
        case 'attributeEquals':
        case 'attributeIn':
        case 'attributeRange':
        case 'attributeExists':
          attributes.add(c.attribute);
          break;
        case 'subscription':
          subscription = true;
          break;
        case 'eventCount':
        case 'eventSum':
        case 'lastEvent':
          if (c.type !== 'lastEvent') windows.add(c.withinDays);
          if (c.eventType === undefined) anyEventType = true;
          else eventTypes.add(c.eventType);
          timeDependent = true;
          break;
        case 'segment':
          segments.add(c.segmentId);
          break;
        case 'controlGroup':
          controlGroup = true;
          break;
      }
    }
  const subjectParts: SubjectPart[] = [];
  if (attributes.size > 0 || subscription) subjectParts.push('profile');
  if (eventTypes.size > 0 || anyEventType) subjectParts.push('events');
  if (predictions.size > 0) subjectParts.push('scores');
  if (segments.size > 0) subjectParts.push('segments');
  if (controlGroup) subjectParts.push('controlGroup');
  const outputs: PredictionOutput[] = ['score', 'category', 'percentile', 'clv', 'recommendations'];
  return {
    predictions: sorted(predictions.keys()).map((predictionId) => ({ predictionId, reads: outputs.filter((o) => predictions.get(predictionId)!.has(o)) })),
    segments: sorted(segments),
    eventTypes: sorted(eventTypes),
    anyEventType,
    eventWindowsDays: [...windows].sort((a, b) => a - b),
    attributes: sorted(attributes),
    subscription,
    controlGroup,
    timeDependent,
    subjectParts,
  };
}

const sorted = (values: Iterable<string>) => [...values].sort();
