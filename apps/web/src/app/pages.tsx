import { Button, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useRouteError } from "react-router";

/** Shown for an address that matches no page. */
export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Stack align="center" p="xl" gap="md">
      <Title order={1}>{t("shell.notFound.title")}</Title>
      <Text c="dimmed">{t("shell.notFound.text")}</Text>
      <Button component={Link} to="/">
        {t("shell.backToBoard")}
      </Button>
    </Stack>
  );
}

/** Shown when a page fails to render or its code cannot be loaded (e.g. after an upgrade). */
export function RouteErrorPage() {
  const { t } = useTranslation();
  const error = useRouteError() as Error | undefined;
  return (
    <Stack align="center" p="xl" gap="md" role="alert">
      <Title order={1}>{t("shell.crash.title")}</Title>
      <Text c="dimmed">{error?.message ?? ""}</Text>
      <Button onClick={() => window.location.reload()}>{t("shell.crash.reload")}</Button>
    </Stack>
  );
}
