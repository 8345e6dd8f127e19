import { Badge, Table, Text } from "@mantine/core";
import type { IncidentAlertSent } from "@vigie/contracts";
import { useTranslation } from "react-i18next";
import { STATE_COLORS } from "../../../components/StateBadge.tsx";
import { formatDateTime } from "../../../lib/format.ts";
import { usePreferences } from "../../../lib/preferences.tsx";

const STATUS_COLORS: Record<IncidentAlertSent["status"], string | undefined> = {
  delivered: STATE_COLORS.ok,
  failed: STATE_COLORS.failed,
  pending: STATE_COLORS.in_progress,
  sending: STATE_COLORS.in_progress,
};

/** The notifications sent about the incident's journey while it lasted: when, what, to whom, delivered or not. */
export function AlertsSentTable({ alerts }: { alerts: IncidentAlertSent[] }) {
  const { t } = useTranslation();
  const { language, timeZone } = usePreferences();
  if (alerts.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t("incidents.alerts.none")}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table striped fz="sm" data-testid="alerts-sent">
        <caption className="visually-hidden">{t("incidents.alerts.title")}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("incidents.alerts.time")}</Table.Th>
            <Table.Th scope="col">{t("incidents.alerts.notice")}</Table.Th>
            <Table.Th scope="col">{t("incidents.alerts.audience")}</Table.Th>
            <Table.Th scope="col">{t("incidents.alerts.channel")}</Table.Th>
            <Table.Th scope="col">{t("incidents.alerts.status")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {alerts.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td className="tabular">{formatDateTime(a.createdAt, language, timeZone)}</Table.Td>
              <Table.Td>{t(`incidents.alerts.notices.${a.notice}`, { defaultValue: a.notice })}</Table.Td>
              <Table.Td>{a.audience}</Table.Td>
              <Table.Td>
                {a.channel}{" "}
                <Text span c="dimmed" size="xs">
                  ({a.channelKind})
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge
                  color={STATUS_COLORS[a.status]}
                  variant="filled"
                  size="sm"
                  radius="sm"
                  data-status={a.status}
                >
                  {t(`incidents.alerts.statuses.${a.status}`)}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
