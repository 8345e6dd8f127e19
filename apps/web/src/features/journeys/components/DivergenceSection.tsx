import { Alert, Text } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { StateBadge } from "../../../components/StateBadge.tsx";
import { formatPercent } from "../../../lib/format.ts";
import { usePreferences } from "../../../lib/preferences.tsx";
import { useDivergence } from "../api/get-divergence.ts";
import { JourneySection, SectionTable } from "./JourneySection.tsx";

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
    <JourneySection
      title={t("journey.divergence.title")}
      description={t("journey.divergence.description")}
      testId="divergence"
      query={query}
    >
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
          <SectionTable
            caption={t("journey.divergence.title")}
            rows={divergence.steps}
            rowKey={(step) => step.step}
            rowProps={(step) =>
              step.diverges ? { "data-diverges": true, style: { background: "#fff4e6" } } : {}
            }
            columns={[
              { key: "step", header: t("common.step"), cell: (step) => stepName(step.step) },
              {
                key: "probe",
                header: t("journey.divergence.probe"),
                cell: (step) => <StateBadge state={step.probe} size="sm" />,
              },
              {
                key: "traffic",
                header: t("journey.divergence.traffic"),
                cell: (step) => <StateBadge state={step.traffic} size="sm" />,
              },
              {
                key: "errorRate",
                header: t("journey.divergence.errorRate"),
                numeric: true,
                cell: (step) => formatPercent(step.trafficErrorRate, language, 1),
              },
            ]}
          />
        </>
      )}
    </JourneySection>
  );
}
