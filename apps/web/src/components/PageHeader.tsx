import { Breadcrumbs, Group, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { Link } from "react-router";

/** The title block of a page: breadcrumbs, title, one line of context, actions on the right. */
export function PageHeader({
  title,
  subtitle,
  actions,
  crumbs,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  crumbs?: { label: string; to: string }[];
}) {
  return (
    <Stack gap={4} mb="md">
      {crumbs?.length ? (
        <Breadcrumbs separator="›" fz="sm">
          {crumbs.map((crumb) => (
            <Link key={crumb.to} to={crumb.to} style={{ color: "var(--mantine-color-vigie-8)" }}>
              {crumb.label}
            </Link>
          ))}
        </Breadcrumbs>
      ) : null}
      <Group justify="space-between" align="flex-end" gap="sm">
        <div>
          <Title order={1} size="h2">
            {title}
          </Title>
          {subtitle ? (
            <Text c="dimmed" size="sm">
              {subtitle}
            </Text>
          ) : null}
        </div>
        {actions ? <Group gap="sm">{actions}</Group> : null}
      </Group>
    </Stack>
  );
}
