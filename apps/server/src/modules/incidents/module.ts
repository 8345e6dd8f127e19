import type { FastifyInstance } from "fastify";
import type { AlertingModule } from "../alerts/module.js";
import type { AuditService } from "../audit/service.js";
import type { RunsRepository } from "../runs/repository.js";
import type { IncidentsRepository } from "./repository.js";
import { incidentRoutes } from "./routes.js";
import { createIncidentsService, type IncidentAlerting } from "./service.js";

/** The alerting functions incident workflow uses (ADR 0080): alerts through the evaluator, notifications through their repository. */
export function incidentAlerting(alerting: AlertingModule): IncidentAlerting {
  return {
    async unacknowledgedFiring(journey) {
      const firing = await alerting.alerts.listAlerts({ status: "firing", journey, limit: 500, offset: 0 });
      return firing.items.filter((a) => !a.state.acknowledgedAt).map((a) => a.id);
    },
    acknowledge: (alertId, by) => alerting.evaluator.acknowledge(alertId, by),
    async notificationsAbout(journey, from, to) {
      const rows = await alerting.notifications.aboutJourney(journey, from, to);
      return rows.map((n) => ({
        id: n.id,
        alertId: n.alertId,
        notice: n.notice,
        audience: n.audience,
        channel: n.channel,
        channelKind: n.channelKind,
        status: n.status,
        createdAt: n.createdAt.toISOString(),
        deliveredAt: n.deliveredAt?.toISOString() ?? null,
      }));
    },
  };
}

/** Incident workflow assembled: the service over analytics' incidents and runs, and alerting; its routes. */
export function createIncidentsModule(deps: {
  incidents: IncidentsRepository;
  runs: RunsRepository;
  alerting: AlertingModule;
  /** Clock in ms [Date.now]. */
  now?: () => number;
  /** Told the journey of an incident people acknowledged or annotated [nobody]. */
  onChange?: (journeys: string[]) => void;
  /** The audit log, for acknowledgements and notes [none]. */
  audit?: Pick<AuditService, "record">;
}) {
  const service = createIncidentsService({
    incidents: deps.incidents,
    runs: deps.runs,
    alerting: incidentAlerting(deps.alerting),
    now: deps.now ?? (() => Date.now()),
    ...(deps.onChange ? { onChange: deps.onChange } : {}),
    ...(deps.audit ? { audit: deps.audit } : {}),
  });
  return {
    service,
    /** Registers the incident routes (list, detail, acknowledgement, notes). */
    async routes(app: FastifyInstance): Promise<void> {
      await app.register(incidentRoutes, { service });
    },
  };
}
