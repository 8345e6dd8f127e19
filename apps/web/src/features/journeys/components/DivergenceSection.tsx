import { Alert, Paper, Table, Text, Title } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { QueryState } from "../../../components/QueryState.tsx";
import { StateBadge } from "../../../components/StateBadge.tsx";
import { formatPercent } from "../../../lib/format.ts";
import { usePreferences } from "../../../lib/preferences.tsx";
import { useDivergence } from "../api/get-divergence.ts";

/** Probes against real prospects, now: where they disagree is where monitoring alone would mislead. */
export function DivergenceSection({
  journey,
  stepName,
}: {
  journey: string;
  stepName(step: string): string;
}) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const query = useDivergence(journey);
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="section"
      aria-labelledby="divergence-title"
      data-testid="divergence"
    >
      <Title order={3} size="h5" id="divergence-title">
        {t("journey.divergence.title")}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t("journey.divergence.description")}
      </Text>
      <QueryState query={query}>
        {(divergence) => (
          <>
            {divergence.diverges ? (
              <Alert
                color="orange"
                icon={<IconAlertTriangle aria-hidden="true" />}
                mb="sm"
                title={t("journey.divergence.diverges")}
              >
                {divergence.steps
                  .filter((step) => step.diverges)
                  .map((step) =>
                    t(
                      step.probe === "down"
                        ? "journey.divergence.probeDownRealOk"
                        : "journey.divergence.probeUpRealFailing",
                      { step: stepName(step.step) },
                    ),
                  )
                  .join(" ")}
              </Alert>
            ) : (
              <Text size="sm" mb="sm">
                {t("journey.divergence.agree")}
              </Text>
            )}
            <Table fz="sm" striped>
              <caption className="visually-hidden">{t("journey.divergence.title")}</caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("common.step")}</Table.Th>
                  <Table.Th scope="col">{t("journey.divergence.probe")}</Table.Th>
                  <Table.Th scope="col">{t("journey.divergence.traffic")}</Table.Th>
                  <Table.Th scope="col" style={{ textAlign: "right" }}>
                    {t("journey.divergence.errorRate")}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {divergence.steps.map((step) => (
                  <Table.Tr
                    key={step.step}
                    data-diverges={step.diverges || undefined}
                    style={step.diverges ? { background: "#fff4e6" } : undefined}
                  >
                    <Table.Td>{stepName(step.step)}</Table.Td>
                    <Table.Td>
                      <StateBadge state={step.probe} size="sm" />
                    </Table.Td>
                    <Table.Td>
                      <StateBadge state={step.traffic} size="sm" />
                    </Table.Td>
                    <Table.Td style={{ textAlign: "right" }} className="tabular">
                      {formatPercent(step.trafficErrorRate, language, 1)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
      </QueryState>
    </Paper>
  );
}
