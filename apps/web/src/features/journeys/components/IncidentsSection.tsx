import { Anchor, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { StateBadge } from "../../../components/StateBadge.tsx";
import { formatDateTime, formatDuration, formatNumber } from "../../../lib/format.ts";
import { usePreferences } from "../../../lib/preferences.tsx";
import type { TimeRange } from "../../../lib/time-range.ts";
import { useJourneyIncidents } from "../api/get-journey-incidents.ts";
import { JourneySection, SectionTable } from "./JourneySection.tsx";

/** The journey's incidents in the range: when, where, which error, how many prospects. */
export function IncidentsSection({
  journey,
  range,
  timeZone,
  stepName,
}: {
  journey: string;
  range: TimeRange;
  timeZone: string;
  stepName(step: string): string;
}) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const query = useJourneyIncidents(journey, range, timeZone);
  return (
    <JourneySection
      title={t("journey.incidents.title")}
      testId="journey-incidents"
      query={query}
      actions={
        <Anchor
          component={Link}
          size="sm"
          to={`/incidents?${new URLSearchParams({ journey, range: "custom", from: range.from.toISOString(), to: range.to.toISOString() })}`}
        >
          {t("journey.incidents.all")}
        </Anchor>
      }
      empty={{ when: (page) => page.items.length === 0, text: t("journey.incidents.none") }}
    >
      {(page) => (
        <SectionTable
          caption={t("journey.incidents.title")}
          minWidth={640}
          rows={page.items}
          rowKey={(incident) => String(incident.id)}
          columns={[
            {
              key: "start",
              header: t("journey.incidents.start"),
              cell: (incident) => (
                <Anchor component={Link} to={`/incidents/${incident.id}`} fz="sm">
                  {formatDateTime(incident.startedAt, language, timeZone)}
                </Anchor>
              ),
            },
            {
              key: "duration",
              header: t("journey.incidents.duration"),
              cell: (incident) =>
                formatDuration(
                  (incident.endedAt ? Date.parse(incident.endedAt) : Date.now()) -
                    Date.parse(incident.startedAt),
                  language,
                ),
            },
            {
              key: "status",
              header: t("journey.incidents.status"),
              cell: (incident) => <StateBadge state={incident.status} size="sm" />,
            },
            {
              key: "step",
              header: t("journey.incidents.step"),
              cell: (incident) => (incident.failingStep ? stepName(incident.failingStep) : ""),
            },
            {
              key: "error",
              header: t("journey.incidents.error"),
              cell: (incident) => (
                <Text span ff="monospace" fz="sm">
                  {incident.topErrorCodes[0]?.code ?? ""}
                </Text>
              ),
            },
            {
              key: "prospects",
              header: t("journey.incidents.prospects"),
              numeric: true,
              cell: (incident) => formatNumber(incident.prospectsAffected, language),
            },
          ]}
        />
      )}
    </JourneySection>
  );
}
