import { Text, Timeline } from "@mantine/core";
import {
  IconAlertOctagon,
  IconArrowMerge,
  IconCircleCheck,
  IconEyeCheck,
  IconMessage,
  IconRefresh,
  IconRepeat,
  IconTrashX,
} from "@tabler/icons-react";
import type { IncidentActivity, IncidentActivityKind } from "@vigie/contracts";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../../lib/format.ts";
import { useJourneyNames } from "../../../lib/journeys.ts";
import { usePreferences } from "../../../lib/preferences.tsx";

const BULLETS: Record<IncidentActivityKind, { icon: ReactNode; color?: string }> = {
  opened: { icon: <IconAlertOctagon size={16} aria-hidden="true" />, color: "red.8" },
  changed: { icon: <IconRefresh size={16} aria-hidden="true" /> },
  merged: { icon: <IconArrowMerge size={16} aria-hidden="true" /> },
  closed: { icon: <IconCircleCheck size={16} aria-hidden="true" />, color: "teal.8" },
  reopened: { icon: <IconRepeat size={16} aria-hidden="true" />, color: "red.8" },
  withdrawn: { icon: <IconTrashX size={16} aria-hidden="true" /> },
  acknowledged: { icon: <IconEyeCheck size={16} aria-hidden="true" />, color: "blue.8" },
  note: { icon: <IconMessage size={16} aria-hidden="true" />, color: "gray.7" },
};

/** What Vigie and people did about an incident, oldest first, as an ordered list. */
export function IncidentTimeline({ journey, timeline }: { journey: string; timeline: IncidentActivity[] }) {
  const { t } = useTranslation();
  const { language, timeZone } = usePreferences();
  const { stepName } = useJourneyNames();
  const step = (key: string | null | undefined) =>
    key ? stepName(journey, key) : t("incidents.timeline.noStep");
  const sources = (seenBy: string[] | undefined) =>
    (seenBy ?? []).map((s) => t(`incidents.seenBy.${s}`)).join(" + ");

  if (timeline.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t("incidents.timeline.empty")}
      </Text>
    );
  }

  const describe = (a: IncidentActivity): string | null => {
    const d = a.details;
    switch (a.kind) {
      case "opened":
        return t("incidents.timeline.openedDetail", {
          step: step(d.failingStep),
          sources: sources(d.seenBy),
        });
      case "changed":
        return d.previous && d.previous.failingStep === d.failingStep
          ? t("incidents.timeline.sourcesChangedDetail", { sources: sources(d.seenBy) })
          : t("incidents.timeline.changedDetail", {
              step: step(d.failingStep),
              previous: step(d.previous?.failingStep),
              sources: sources(d.seenBy),
            });
      case "closed":
        return d.endedAt
          ? t("incidents.timeline.closedDetail", { time: formatDateTime(d.endedAt, language, timeZone) })
          : null;
      case "merged":
        return t("incidents.timeline.mergedDetail", { id: d.from });
      case "note":
        return a.note;
      default:
        return null;
    }
  };

  return (
    <Timeline active={timeline.length - 1} bulletSize={26} lineWidth={2} data-testid="incident-timeline">
      {timeline.map((a) => {
        const detail = describe(a);
        return (
          <Timeline.Item
            key={a.id}
            bullet={BULLETS[a.kind].icon}
            color={BULLETS[a.kind].color}
            title={t(`incidents.timeline.kind.${a.kind}`)}
            data-kind={a.kind}
          >
            <Text size="xs" c="dimmed">
              {formatDateTime(a.at, language, timeZone)} ·{" "}
              {a.by ? a.by.name || t("incidents.timeline.someone") : t("incidents.timeline.vigie")}
            </Text>
            {detail ? (
              <Text size="sm" style={a.kind === "note" ? { whiteSpace: "pre-wrap" } : undefined}>
                {detail}
              </Text>
            ) : null}
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
