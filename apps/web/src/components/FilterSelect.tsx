import { Select } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useJourneyNames } from "../lib/journeys.ts";
import { usePreferences } from "../lib/preferences.tsx";

/** The filters of a server-side table, kept in the address (see `useTableState`). */
export interface AddressFilters {
  filter(name: string): string;
  setFilter(name: string, value: string | null | undefined): void;
}

/** A clearable choice among a few values that filters a table; its label is also its placeholder. */
export function FilterSelect({
  filters,
  name,
  label,
  options,
  width = 160,
  disabled = false,
}: {
  filters: AddressFilters;
  /** The address parameter (and API filter) it sets. */
  name: string;
  label: string;
  options: { value: string; label: string }[];
  width?: number;
  disabled?: boolean;
}) {
  return (
    <Select
      aria-label={label}
      placeholder={label}
      data={options}
      value={filters.filter(name) || null}
      onChange={(value) => filters.setFilter(name, value)}
      disabled={disabled}
      clearable
      size="xs"
      w={width}
    />
  );
}

/** The journey filter (`journey`), its choices the declared journeys in the user's language. */
export function JourneyFilterSelect({ filters, width = 210 }: { filters: AddressFilters; width?: number }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const { journeys } = useJourneyNames();
  return (
    <FilterSelect
      filters={filters}
      name="journey"
      label={t("common.journey")}
      options={(journeys ?? []).map((j) => ({ value: j.key, label: j.name[language] }))}
      width={width}
    />
  );
}
