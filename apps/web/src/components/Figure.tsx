import { Paper, Text } from "@mantine/core";
import type { ReactNode } from "react";

/** One headline figure ("Disponibilité 99,52 %") with an optional hint below. */
export function Figure({
  label,
  value,
  hint,
  tone,
  testId,
}: {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  tone?: "good" | "bad" | "neutral";
  testId?: string;
}) {
  const color = tone === "good" ? "teal.8" : tone === "bad" ? "red.8" : undefined;
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <Text size="xs" tt="uppercase" fw={600} c="dimmed" style={{ letterSpacing: "0.04em" }}>
        {label}
      </Text>
      <Text fz={26} fw={700} c={color} className="tabular" lh={1.3}>
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Paper>
  );
}
