/** Prometheus metrics at /metrics: process defaults plus request counts and durations. */
import type { HttpApp } from './http-app'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export interface Metrics {
  registry: Registry
}

export function createMetrics(): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'oqu_' })
  return { registry }
}

export function registerMetricsRoute(app: HttpApp, metrics: Metrics): void {
  const requests = new Counter({
    name: 'oqu_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [metrics.registry],
  })
  const duration = new Histogram({
    name: 'oqu_http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metrics.registry],
  })
  app.addHook('onResponse', (req, reply, done) => {
    // The route pattern (e.g. /verify/:code), never the raw URL: no identifiers in labels.
    const route = req.routeOptions.url ?? 'unmatched'
    requests.inc({ method: req.method, route, status: String(reply.statusCode) })
    duration.observe({ method: req.method, route }, reply.elapsedTime / 1000)
    done()
  })
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.type(metrics.registry.contentType)
    return metrics.registry.metrics()
  })
}

/** `oqu_jobs{state}`: the job queue's depth by state, read when Prometheus scrapes. */
export function registerJobMetrics(metrics: Metrics, queue: { stats(): Promise<Record<string, number>> }): void {
  new Gauge({
    name: 'oqu_jobs',
    help: 'Jobs by state',
    labelNames: ['state'],
    registers: [metrics.registry],
    async collect() {
      const stats = await queue.stats()
      for (const [state, n] of Object.entries(stats)) this.set({ state }, n)
    },
  })
}
