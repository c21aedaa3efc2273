/**
 * A workflow's control queue: where the steps around its heavy work run (plans, quality gates,
 * promotions, finishing a rescore, bookkeeping). The ml queue has few activity slots per worker,
 * since its trainings and population passes hold CPU and memory; a step of a few milliseconds that
 * waited there behind other predictions' heavy work held its own run back (a promotion waited 22 s,
 * a rescore's plan 10 s, with four retrains at once). Workers that serve a queue serve its control
 * queue too, with many slots. Pure and import-free: workflows name it from their own queue.
 */
export const controlQueue = (workflowQueue: string): string => `${workflowQueue}-control`;
