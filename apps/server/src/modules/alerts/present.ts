import type { FastifyRequest } from "fastify";
import type { AlertRow } from "./repository.js";

/** Who made a change, for `updatedBy` and acknowledgements: the user or key id. */
export function actorOf(request: FastifyRequest): string | null {
  const p = request.principal;
  if (!p) return null;
  if (p.kind === "session") return `user:${p.userId}`;
  return `key:${p.keyId}`;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An alert as the API shows it. */
export function presentAlert(alert: AlertRow) {
  return {
    id: alert.id,
    rule: alert.ruleKey,
    kind: alert.kind,
    severity: alert.severity,
    journey: alert.journey,
    step: alert.step,
    status: alert.status,
    flapping: alert.flapping,
    firingSince: alert.status === "firing" ? iso(alert.state.firingSince) : null,
    lastFiredAt: iso(alert.state.firingSince),
    resolvedAt: iso(alert.state.resolvedAt),
    acknowledgedAt: iso(alert.state.acknowledgedAt),
    acknowledgedBy: alert.state.acknowledgedBy,
    escalatedAt: iso(alert.state.escalatedAt),
    notified: alert.state.notified,
    heldBy: alert.heldBy,
    facts: alert.facts,
    evaluatedAt: alert.evaluatedAt.toISOString(),
  };
}

export const alertJsonSchema = {
  type: "object",
  properties: {
    id: { type: "integer" },
    rule: { type: "string" },
    kind: { type: "string" },
    severity: { type: "string", enum: ["page", "ticket"] },
    journey: { type: ["string", "null"] },
    step: { type: ["string", "null"] },
    status: { type: "string", enum: ["inactive", "pending", "firing"] },
    flapping: { type: "boolean" },
    firingSince: { type: ["string", "null"], format: "date-time" },
    lastFiredAt: { type: ["string", "null"], format: "date-time" },
    resolvedAt: { type: ["string", "null"], format: "date-time" },
    acknowledgedAt: { type: ["string", "null"], format: "date-time" },
    acknowledgedBy: { type: ["string", "null"] },
    escalatedAt: { type: ["string", "null"], format: "date-time" },
    notified: {
      type: ["string", "null"],
      description: "What the audiences were last told: firing or resolved",
    },
    heldBy: {
      type: ["string", "null"],
      description: "Silence, maintenance window or inhibiting alert holding its notifications",
    },
    facts: { type: "object", additionalProperties: true, description: "Figures of the last evaluation" },
    evaluatedAt: { type: "string", format: "date-time" },
  },
} as const;
