/**
 * /metrics on or off. prom-client and its process metrics are loaded only when METRICS_TOKEN enables them: they
 * would otherwise cost every start for a route that does not exist.
 */
import type { Router } from 'express';
import type { MetricsSink } from './metrics.ts';

export type { MetricsSink, PendingDeliveries } from './metrics.ts';

const METRICS_OFF: MetricsSink = {
  turn() {},
  turnDuration() {},
  refusal() {},
  watchOpenSockets() {},
  watchHandoffDeliveries() {},
};

/** `outcomes`: the flow's outcome ids (reported from 0 on). */
export async function openMetrics(token: string | undefined, outcomes: readonly string[]): Promise<{ metrics: MetricsSink; router?: Router }> {
  if (!token) return { metrics: METRICS_OFF };
  const [{ createMetrics }, { metricsRoutes }] = await Promise.all([import('./metrics.ts'), import('./routes.ts')]);
  const metrics = createMetrics({ outcomes });
  return { metrics, router: metricsRoutes(metrics, token) };
}
