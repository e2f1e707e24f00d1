/**
 * GET /metrics for Prometheus, only with `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time).
 * Without METRICS_TOKEN the route does not exist.
 */
import { Router } from 'express';
import { safeEqual } from '../staff/auth.ts';
import type { Metrics } from './metrics.ts';

export function metricsRoutes(metrics: Metrics, token: string): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m || !safeEqual(m[1]!, token)) {
      res.status(401).set('WWW-Authenticate', 'Bearer realm="owari-support metrics"').json({ error: 'unauthorized' });
      return;
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
