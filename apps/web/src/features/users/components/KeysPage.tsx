import { Badge, Button, SegmentedControl, Select, Table, TextInput } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { QueryState } from "../../../components/QueryState.tsx";
import { formatDateTime } from "../../../lib/format.ts";
import { usePreferences } from "../../../lib/preferences.tsx";
import { ROLES, type Role, useCreateKey, useKeys, useRevokeKey } from "../api/admin.ts";
import { AdminManagePage, type ShownSecret } from "./AdminManagePage.tsx";

/** API keys: ingest keys per source, read keys per role; the secret shown once; revoke. */
export function KeysPage() {
  const { t } = useTranslation();
  const { language, timeZone } = usePreferences();
  const keys = useKeys();
  const create = useCreateKey();
  const revoke = useRevokeKey();
  const [kind, setKind] = useState<"ingest" | "read">("ingest");
  const [name, setName] = useState("");
  const [source, setSource] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [shown, setShown] = useState<ShownSecret | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const body = kind === "ingest" ? { kind, name, ...(source ? { source } : {}) } : { kind, name, role };
    create.mutate(body, {
      onSuccess: ({ key, secret }) => {
        setShown({ label: t("admin.keys.secretOf", { name: key.name }), value: secret });
        setName("");
        setSource("");
      },
    });
  }

  const when = (iso: string | null) =>
    iso ? formatDateTime(iso, language, timeZone) : t("admin.keys.never");
  return (
    <AdminManagePage
      subtitle={t("admin.keys.subtitle")}
      shown={shown}
      onCloseShown={() => setShown(null)}
      failure={create.error ?? revoke.error}
      createTitle={t("admin.keys.create")}
      createLabel={t("admin.keys.createButton")}
      creating={create.isPending}
      onCreate={submit}
      fields={
        <>
          <SegmentedControl
            aria-label={t("admin.keys.kind")}
            value={kind}
            onChange={(value) => setKind(value as "ingest" | "read")}
            data={[
              { value: "ingest", label: t("admin.keys.ingest") },
              { value: "read", label: t("admin.keys.read") },
            ]}
          />
          <TextInput
            label={t("admin.keys.name")}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
          />
          {kind === "ingest" ? (
            <TextInput
              label={t("admin.keys.source")}
              description={t("admin.keys.sourceHelp")}
              value={source}
              onChange={(e) => setSource(e.currentTarget.value)}
            />
          ) : (
            <Select
              label={t("admin.keys.role")}
              data={ROLES.map((value) => ({ value, label: t(`admin.roles.${value}`) }))}
              value={role}
              onChange={(value) => value && setRole(value as Role)}
              allowDeselect={false}
            />
          )}
        </>
      }
    >
      <QueryState query={keys}>
        {({ items }) => (
          <Table striped aria-label={t("admin.keys.table")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("admin.keys.name")}</Table.Th>
                <Table.Th>{t("admin.keys.kind")}</Table.Th>
                <Table.Th>{t("admin.keys.scope")}</Table.Th>
                <Table.Th>{t("admin.keys.prefix")}</Table.Th>
                <Table.Th>{t("admin.keys.lastUsed")}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((key) => (
                <Table.Tr key={key.id}>
                  <Table.Td>{key.name}</Table.Td>
                  <Table.Td>{key.kind === "ingest" ? t("admin.keys.ingest") : t("admin.keys.read")}</Table.Td>
                  <Table.Td>
                    {key.kind === "ingest"
                      ? (key.source ?? t("admin.keys.anySource"))
                      : t(`admin.roles.${key.role}`)}
                  </Table.Td>
                  <Table.Td>
                    <code>{key.prefix}…</code>
                  </Table.Td>
                  <Table.Td>{when(key.lastUsedAt)}</Table.Td>
                  <Table.Td>
                    {key.revokedAt ? (
                      <Badge color="gray">{t("admin.keys.revoked")}</Badge>
                    ) : (
                      <Button size="xs" color="red" variant="light" onClick={() => revoke.mutate(key.id)}>
                        {t("admin.keys.revoke")}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </AdminManagePage>
  );
}
