import { Badge, Code, Table, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { PageHeader } from "../../../components/PageHeader.tsx";
import { QueryState } from "../../../components/QueryState.tsx";
import { formatDateTime } from "../../../lib/format.ts";
import { usePreferences } from "../../../lib/preferences.tsx";
import { useAudit, useUsers } from "../api/admin.ts";
import { AdminTabs } from "./AdminTabs.tsx";

/** The audit log, newest first; user ids shown as their user names. */
export function AuditPage() {
  const { t } = useTranslation();
  const { language, timeZone } = usePreferences();
  const [action, setAction] = useState("");
  const audit = useAudit(action.trim());
  const users = useUsers();
  const nameOf = (id: string | null | undefined) =>
    users.data?.items.find((user) => user.id === id)?.username ?? id ?? "";

  return (
    <>
      <PageHeader title={t("admin.title")} subtitle={t("admin.audit.subtitle")} />
      <AdminTabs />
      <TextInput
        label={t("admin.audit.filter")}
        placeholder="session."
        value={action}
        onChange={(e) => setAction(e.currentTarget.value)}
        maw={280}
        mb="md"
      />
      <QueryState query={audit}>
        {({ items }) => (
          <Table striped aria-label={t("admin.audit.table")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("admin.audit.at")}</Table.Th>
                <Table.Th>{t("admin.audit.action")}</Table.Th>
                <Table.Th>{t("admin.audit.actor")}</Table.Th>
                <Table.Th>{t("admin.audit.target")}</Table.Th>
                <Table.Th>{t("admin.audit.address")}</Table.Th>
                <Table.Th>{t("admin.audit.details")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((entry) => (
                <Table.Tr key={entry.id}>
                  <Table.Td>{formatDateTime(entry.at, language, timeZone)}</Table.Td>
                  <Table.Td>
                    {entry.action}{" "}
                    {entry.outcome === "failure" ? (
                      <Badge color="red">{t("admin.audit.failure")}</Badge>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    {entry.actor.kind === "user" ? nameOf(entry.actor.id) : entry.actor.kind}
                  </Table.Td>
                  <Table.Td>
                    {entry.target?.kind === "user" ? nameOf(entry.target.id) : (entry.target?.id ?? "")}
                  </Table.Td>
                  <Table.Td>{entry.address ?? ""}</Table.Td>
                  <Table.Td>
                    <Code>{JSON.stringify(entry.details)}</Code>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </>
  );
}
