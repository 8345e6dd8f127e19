import { Loader } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { StateBadge } from "../../../components/StateBadge.tsx";
import { useProbeRun } from "../api/probes.ts";

/** The outcome of a probe's last run (fetched per row: the probe list does not carry it). */
export function LastResult({ runId }: { runId: string | null }) {
  const { t } = useTranslation();
  const run = useProbeRun(runId);
  if (!runId) return <>{t("probes.neverRun")}</>;
  if (run.isPending) return <Loader size="xs" aria-label={t("common.loading")} />;
  if (!run.data) return null;
  return <StateBadge state={run.data.outcome === "passed" ? "ok" : "failing"} size="sm" />;
}
