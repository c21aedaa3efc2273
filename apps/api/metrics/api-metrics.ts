import { Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'http';

/** What Express adds to a request that this needs (its types are not a dependency of ours). */
type ExpressRequest = IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';

/**
 * This API process's Prometheus metrics, in a registry of its own (not prom-client's global one, so
 * several apps in one process, as in tests, each count their own). Route labels are route patterns
 * (`/v1/predictions/:id`), never paths with IDs in them.
 */
@Injectable()
export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'propensity_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly eventsIngested = new Counter({
    name: 'propensity_events_ingested_total',
    help: 'Events stored through the API (POST /v1/events), retries of stored events not counted',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'propensity_api_' });
  }

  /**
   * Express middleware ahead of every route (refusals by the guards and 404s count too). Express sets
   * req.route once a route matched (Nest's not-found catch-alls are routes too: `{*path}`); the base
   * URL holds any mount prefix.
   */
  readonly countRequests = (req: ExpressRequest, res: ServerResponse, next: () => void): void => {
    res.once('finish', () => {
      const path = req.route?.path === undefined ? '' : String(req.route.path);
      const route = path && !path.includes('{*') ? `${req.baseUrl ?? ''}${path}` : 'unmatched';
      this.requests.inc({ method: req.method ?? '', route, status: String(res.statusCode) });
    });
    next();
  };
}
