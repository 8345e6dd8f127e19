import { Button, Group, Paper, Popover, SegmentedControl, Stack, Switch, Text } from "@mantine/core";
import { DatePicker } from "@mantine/dates";
import { IconCalendar } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../lib/format.ts";
import { usePreferences } from "../lib/preferences.tsx";
import { dayRange, presetRange, RANGE_PRESETS, type RangePreset, type TimeRange } from "../lib/time-range.ts";

export interface TimeRangePickerProps {
  range: TimeRange;
  onChange(range: TimeRange): void;
  compare?: boolean;
  onCompareChange?(compare: boolean): void;
  /** The comparison period, shown in words when comparing. */
  previous?: TimeRange | null;
  now: Date;
}

/**
 * Presets (today, yesterday, 7 days, this week, 30 days, this month, last month) and custom days, plus
 * the "compare with previous period" switch; the whole page follows what it sets.
 */
export function TimeRangePicker({
  range,
  onChange,
  compare,
  onCompareChange,
  previous,
  now,
}: TimeRangePickerProps) {
  const { t } = useTranslation();
  const { language, timeZone } = usePreferences();
  const [open, setOpen] = useState(false);
  const [days, setDays] = useState<[string | null, string | null]>([null, null]);
  const presets = RANGE_PRESETS.filter((preset) => preset !== "custom");

  const choose = (preset: string) => {
    if (preset === "custom") return;
    onChange(presetRange(preset as Exclude<RangePreset, "custom">, now, timeZone));
  };

  const applyDays = (value: [string | null, string | null]) => {
    setDays(value);
    if (value[0] && value[1]) {
      onChange(dayRange(value[0], value[1], timeZone));
      setOpen(false);
    }
  };

  return (
    <Paper withBorder radius="md" p="sm" role="group" aria-label={t("timeRange.label")}>
      <Group justify="space-between" gap="sm" wrap="wrap">
        <Group gap="sm" wrap="wrap">
          <SegmentedControl
            aria-label={t("timeRange.presets")}
            value={range.preset === "custom" ? "" : range.preset}
            onChange={choose}
            data={presets.map((preset) => ({ value: preset, label: t(`timeRange.preset.${preset}`) }))}
            size="xs"
          />
          <Popover opened={open} onChange={setOpen} position="bottom-start" shadow="md" trapFocus>
            <Popover.Target>
              <Button
                size="xs"
                variant={range.preset === "custom" ? "filled" : "default"}
                leftSection={<IconCalendar size={16} aria-hidden="true" />}
                onClick={() => setOpen((value) => !value)}
                aria-expanded={open}
              >
                {t("timeRange.preset.custom")}
              </Button>
            </Popover.Target>
            <Popover.Dropdown>
              <Stack gap="xs">
                <Text size="sm" fw={500}>
                  {t("timeRange.pickDays")}
                </Text>
                <DatePicker
                  type="range"
                  value={days}
                  onChange={(value) => applyDays(value as [string | null, string | null])}
                  maxDate={new Date(now)}
                  numberOfColumns={1}
                  ariaLabels={{
                    previousMonth: t("timeRange.previousMonth"),
                    nextMonth: t("timeRange.nextMonth"),
                    monthLevelControl: t("timeRange.chooseMonth"),
                  }}
                />
              </Stack>
            </Popover.Dropdown>
          </Popover>
        </Group>
        {onCompareChange ? (
          <Switch
            checked={!!compare}
            onChange={(event) => onCompareChange(event.currentTarget.checked)}
            label={t("timeRange.compare")}
          />
        ) : null}
      </Group>
      <Text size="sm" c="dimmed" mt={6} aria-live="polite" data-testid="range-summary">
        {t("timeRange.summary", {
          from: formatDateTime(range.from, language, timeZone),
          to: formatDateTime(range.to, language, timeZone),
          timeZone,
        })}
        {compare && previous
          ? ` · ${t("timeRange.comparedWith", {
              from: formatDateTime(previous.from, language, timeZone),
              to: formatDateTime(previous.to, language, timeZone),
            })}`
          : ""}
      </Text>
    </Paper>
  );
}
