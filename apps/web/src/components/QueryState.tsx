import { Alert, Button, Group, Loader } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../lib/api.ts";

/** What a query looks like to the components below (TanStack Query's result fits). */
interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
  refetch(): unknown;
}

/** Renders a spinner while loading, a readable error with a retry button on failure, else `children`. */
export function QueryState<T>({
  query,
  children,
  loading,
}: {
  query: QueryLike<T>;
  children: (data: T) => ReactNode;
  loading?: ReactNode;
}) {
  const { t } = useTranslation();
  if (query.error) {
    const error = query.error;
    const detail =
      error instanceof ApiError
        ? error.status === 0
          ? t("errors.network")
          : error.status === 404
            ? t("errors.notFound")
            : error.status === 403
              ? t("errors.forbidden")
              : error.message
        : String((error as Error).message ?? error);
    return (
      <Alert
        color="red"
        icon={<IconAlertTriangle aria-hidden="true" />}
        title={t("errors.title")}
        role="alert"
      >
        <Group justify="space-between">
          <span>{detail}</span>
          <Button size="xs" variant="white" color="red" onClick={() => void query.refetch()}>
            {t("errors.retry")}
          </Button>
        </Group>
      </Alert>
    );
  }
  if (query.isPending || query.data === undefined) {
    return (
      loading ?? (
        <Group justify="center" p="xl">
          <Loader aria-label={t("common.loading")} />
        </Group>
      )
    );
  }
  return <>{children(query.data)}</>;
}
