import { Button, Group, Text } from "@mantine/core";
import { IconPlayerPause, IconPlayerPlay, IconRun } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { ApiError } from "../../../lib/api.ts";
import { useRunProbeNow, useSetProbePaused } from "../api/probes.ts";
import type { Probe } from "../api/types.ts";

/** Run now, pause and resume (operators and admins; others get the server's refusal in plain words). */
export function ProbeActions({ probe, compact = false }: { probe: Probe; compact?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const runNow = useRunProbeNow();
  const setPaused = useSetProbePaused();
  const [failure, setFailure] = useState<string | null>(null);
  const fail = (error: unknown) =>
    setFailure(
      `${t("probes.actionFailed")} ${
        error instanceof ApiError && error.status === 403
          ? t("errors.forbidden")
          : String((error as Error).message)
      }`,
    );
  return (
    <Group gap="xs" wrap="nowrap">
      {failure ? (
        <Text size="xs" c="red.8" role="alert">
          {failure}
        </Text>
      ) : null}
      <Button
        size="xs"
        variant="light"
        leftSection={<IconRun size={14} aria-hidden="true" />}
        loading={runNow.isPending}
        disabled={probe.running}
        aria-label={compact ? t("probes.runNowNamed", { name: probe.name }) : undefined}
        onClick={() => {
          setFailure(null);
          runNow.mutate(probe.name, {
            onSuccess: (run) => navigate(`/probes/runs/${encodeURIComponent(run.runId)}`),
            onError: fail,
          });
        }}
      >
        {t("probes.runNow")}
      </Button>
      <Button
        size="xs"
        variant="default"
        leftSection={
          probe.paused ? (
            <IconPlayerPlay size={14} aria-hidden="true" />
          ) : (
            <IconPlayerPause size={14} aria-hidden="true" />
          )
        }
        loading={setPaused.isPending}
        aria-label={
          compact
            ? t(probe.paused ? "probes.resumeNamed" : "probes.pauseNamed", { name: probe.name })
            : undefined
        }
        onClick={() => {
          setFailure(null);
          setPaused.mutate({ name: probe.name, paused: !probe.paused }, { onError: fail });
        }}
      >
        {probe.paused ? t("probes.resume") : t("probes.pause")}
      </Button>
    </Group>
  );
}
