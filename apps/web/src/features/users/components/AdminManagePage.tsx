import { Alert, Button, Group, Paper, Stack, Title } from "@mantine/core";
import type { FormEvent, ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { PageHeader } from "../../../components/PageHeader.tsx";
import { ApiError } from "../../../lib/api.ts";
import { AdminTabs } from "./AdminTabs.tsx";
import { OneTimeSecret } from "./OneTimeSecret.tsx";

/** A secret to show once (one-time password, API key) with what it belongs to. */
export interface ShownSecret {
  label: string;
  value: string;
}

/**
 * The frame of an administration page that creates and lists things (users, API keys): header and
 * tabs, the secret shown once after a creation, the last failure, the creation form and the table.
 */
export function AdminManagePage({
  subtitle,
  shown,
  onCloseShown,
  failure,
  createTitle,
  createLabel,
  creating,
  onCreate,
  fields,
  children,
}: {
  subtitle: string;
  shown: ShownSecret | null;
  onCloseShown(): void;
  /** The error of the last mutation that failed, if any. */
  failure: unknown;
  createTitle: string;
  createLabel: string;
  creating: boolean;
  onCreate(event: FormEvent): void;
  /** The inputs of the creation form. */
  fields: ReactNode;
  /** The list (usually a QueryState with its table). */
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t("admin.title")} subtitle={subtitle} />
      <AdminTabs />
      <Stack>
        {shown ? <OneTimeSecret label={shown.label} value={shown.value} onClose={onCloseShown} /> : null}
        {failure ? (
          <Alert color="red">{failure instanceof ApiError ? failure.message : t("admin.error")}</Alert>
        ) : null}
        <Paper withBorder p="md" component="form" onSubmit={onCreate}>
          <Title order={2} size="h4" mb="sm">
            {createTitle}
          </Title>
          <Group align="flex-end">
            {fields}
            <Button type="submit" loading={creating}>
              {createLabel}
            </Button>
          </Group>
        </Paper>
        {children}
      </Stack>
    </>
  );
}
