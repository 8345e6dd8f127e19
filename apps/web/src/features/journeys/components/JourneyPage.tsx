import { Alert, Group, SimpleGrid, Stack, Text } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { Figure } from "../../../components/Figure.tsx";
import { PageHeader } from "../../../components/PageHeader.tsx";
import { TimeRangePicker } from "../../../components/TimeRangePicker.tsx";
import { formatDuration, formatNumber, formatPercent } from "../../../lib/format.ts";
import { useJourneyNames } from "../../../lib/journeys.ts";
import { useLiveChanges } from "../../../lib/live.tsx";
import { usePreferences } from "../../../lib/preferences.tsx";
import { customRange } from "../../../lib/time-range.ts";
import { useTimeRange } from "../../../lib/use-time-range.ts";
import { useAvailability } from "../api/get-availability.ts";
import { useFunnel } from "../api/get-funnel.ts";
import { probeHint } from "../hooks/probe-hint.ts";
import { useBreakdownAttribute } from "../hooks/use-breakdown.ts";
import { AvailabilitySection } from "./AvailabilitySection.tsx";
import { DivergenceSection } from "./DivergenceSection.tsx";
import { ErrorsSection } from "./ErrorsSection.tsx";
import { FunnelSection } from "./FunnelSection.tsx";
import { IncidentsSection } from "./IncidentsSection.tsx";
import { LatencySection } from "./LatencySection.tsx";
import { VolumesSection } from "./VolumesSection.tsx";

function Delta({
  current,
  previous,
  unit,
}: {
  current: number | null;
  previous: number | null;
  unit: "pt" | "%";
}) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  if (current === null || previous === null) return null;
  const diff =
    unit === "pt" ? (current - previous) * 100 : previous === 0 ? null : (current - previous) / previous;
  if (diff === null) return null;
  const text =
    unit === "pt"
      ? `${diff >= 0 ? "+" : ""}${formatNumber(diff, language, 2)} pt`
      : `${diff >= 0 ? "+" : ""}${formatPercent(diff, language, 1)}`;
  return <>{t("journey.vsPrevious", { delta: text })}</>;
}

/** Everything about one journey over a chosen period: the page business owners live on. */
export function JourneyPage() {
  const { key = "" } = useParams();
  const { t } = useTranslation();
  const { language } = usePreferences();
  const { journeys, journeyName, stepName } = useJourneyNames();
  const { range, setRange, compare, setCompare, previous, timeZone, now } = useTimeRange("7d");
  const client = useQueryClient();
  const declared = journeys?.find((journey) => journey.key === key);

  // Live: figures of this journey are fetched again when its events arrive.
  useLiveChanges(
    useCallback(
      (changed: Set<string>) => {
        if (changed.has(key)) void client.invalidateQueries({ queryKey: ["journey", key] });
      },
      [client, key],
    ),
  );

  const availability = useAvailability(key, range, timeZone);
  const previousAvailability = useAvailability(key, previous, timeZone);
  const { by, setBy } = useBreakdownAttribute();
  // The breakdown comes with the funnel (one read of the cohorts); product unless another was chosen.
  const funnel = useFunnel(key, range, timeZone, by ?? "product");
  const previousFunnel = useFunnel(key, previous, timeZone);
  const name = (step: string) => stepName(key, step);
  const zoom = useCallback((from: Date, to: Date) => setRange(customRange(from, to)), [setRange]);

  if (journeys && !declared) {
    return (
      <Alert color="red" title={t("journey.unknownTitle")} role="alert">
        {t("journey.unknown", { key })}
      </Alert>
    );
  }

  const total = availability.data?.journeyLevel.total;
  const objective = declared?.objectives.availability ?? null;
  const previousTotal = compare ? previousAvailability.data?.journeyLevel.total : undefined;
  const figures = funnel.data?.figures;
  const previousFigures = compare ? previousFunnel.data?.figures : undefined;
  const tone = (ratio: number | null | undefined) =>
    ratio === null || ratio === undefined || objective === null
      ? "neutral"
      : ratio >= objective
        ? "good"
        : "bad";

  return (
    <Stack gap="md">
      <PageHeader
        title={journeyName(key)}
        subtitle={
          declared
            ? t("journey.subtitle", {
                steps: declared.steps.length,
                objective: formatPercent(declared.objectives.availability, language, 1),
              })
            : undefined
        }
        crumbs={[{ label: t("board.nav"), to: "/" }]}
      />
      <TimeRangePicker
        range={range}
        onChange={setRange}
        compare={compare}
        onCompareChange={setCompare}
        previous={previous}
        now={now}
      />
      <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }} spacing="md">
        <Figure
          label={t("journey.figures.trafficAvailability")}
          value={formatPercent(total?.traffic.ratio, language)}
          tone={tone(total?.traffic.ratio)}
          testId="figure-traffic-availability"
          hint={
            previousTotal ? (
              <Delta
                current={total?.traffic.ratio ?? null}
                previous={previousTotal.traffic.ratio}
                unit="pt"
              />
            ) : (
              t("journey.figures.trafficHint", {
                bad: formatNumber(total?.traffic.bad, language),
                total: formatNumber(total ? total.traffic.good + total.traffic.bad : null, language),
              })
            )
          }
        />
        <Figure
          label={t("journey.figures.timeAvailability")}
          value={formatPercent(total?.time.ratio, language)}
          tone={tone(total?.time.ratio)}
          testId="figure-time-availability"
          hint={
            previousTotal ? (
              <Delta current={total?.time.ratio ?? null} previous={previousTotal.time.ratio} unit="pt" />
            ) : total?.time.ratio === null || total?.time.ratio === undefined ? (
              t("journey.figures.noProbe")
            ) : (
              probeHint(total.time, t, language)
            )
          }
        />
        <Figure
          label={t("journey.figures.started")}
          value={formatNumber(figures?.started, language)}
          testId="figure-started"
          hint={
            previousFigures ? (
              <Delta current={figures?.started ?? null} previous={previousFigures.started} unit="%" />
            ) : undefined
          }
        />
        <Figure
          label={t("journey.figures.conversion")}
          value={formatPercent(figures?.conversion, language, 1)}
          testId="figure-conversion"
          hint={
            previousFigures ? (
              <Delta current={figures?.conversion ?? null} previous={previousFigures.conversion} unit="pt" />
            ) : (
              t("journey.figures.completed", {
                count: figures?.completed ?? 0,
                value: formatNumber(figures?.completed, language),
              })
            )
          }
        />
        <Figure
          label={t("journey.figures.timeToConvert")}
          value={formatDuration(figures?.timeToConvertMs.p50, language)}
          hint={t("journey.figures.p90", { value: formatDuration(figures?.timeToConvertMs.p90, language) })}
        />
      </SimpleGrid>
      <AvailabilitySection
        journey={key}
        query={availability}
        previousQuery={compare ? previousAvailability : null}
        range={range}
        previous={previous}
        objective={objective ?? 0.995}
        stepName={name}
        onZoom={zoom}
      />
      <FunnelSection
        query={funnel}
        previousQuery={compare ? previousFunnel : null}
        by={by ?? "product"}
        onByChange={setBy}
        stepName={name}
      />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <VolumesSection journey={key} range={range} timeZone={timeZone} onZoom={zoom} />
        <LatencySection journey={key} range={range} timeZone={timeZone} stepName={name} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <ErrorsSection journey={key} range={range} timeZone={timeZone} stepName={name} />
        <DivergenceSection journey={key} stepName={name} />
      </SimpleGrid>
      <IncidentsSection journey={key} range={range} timeZone={timeZone} stepName={name} />
      <Group justify="center">
        <Text size="xs" c="dimmed">
          {t("journey.methodsNote")}
        </Text>
      </Group>
    </Stack>
  );
}
