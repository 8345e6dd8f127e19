import { Badge, Button, Text, Tooltip } from "@mantine/core";
import { IconEyeCheck } from "@tabler/icons-react";
import type { Incident } from "@vigie/contracts";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../../lib/format.ts";
import { usePreferences } from "../../../lib/preferences.tsx";
import { useAcknowledgeIncident } from "../api/acknowledge-incident.ts";

/** Who acknowledged the incident and when, or the button to acknowledge it (for those on duty). */
export function AcknowledgeAction({ incident, canRespond }: { incident: Incident; canRespond: boolean }) {
  const { t } = useTranslation();
  const { language, timeZone } = usePreferences();
  const acknowledge = useAcknowledgeIncident(String(incident.id));

  if (incident.acknowledged) {
    return (
      <Badge
        size="lg"
        variant="filled"
        color="blue.9"
        leftSection={<IconEyeCheck size={14} aria-hidden="true" />}
        data-testid="acknowledged"
        style={{ textTransform: "none" }}
      >
        {t("incidents.ack.by", {
          name: incident.acknowledged.by?.name || t("incidents.timeline.someone"),
          time: formatDateTime(incident.acknowledged.at, language, timeZone),
        })}
      </Badge>
    );
  }
  if (!canRespond) {
    return (
      <Text size="sm" c="dimmed">
        {t("incidents.ack.none")}
      </Text>
    );
  }
  return (
    <Tooltip label={t("incidents.ack.hint")} multiline w={280} withArrow>
      <Button
        size="sm"
        leftSection={<IconEyeCheck size={16} aria-hidden="true" />}
        loading={acknowledge.isPending}
        onClick={() => acknowledge.mutate()}
        color={acknowledge.isError ? "red" : undefined}
      >
        {acknowledge.isError ? t("incidents.ack.retry") : t("incidents.ack.action")}
      </Button>
    </Tooltip>
  );
}
