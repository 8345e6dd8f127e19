import { Badge, Button, Group, Select, Switch, Table, TextInput } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { QueryState } from "../../../components/QueryState.tsx";
import { ROLES, type Role, useCreateUser, useResetPassword, useUpdateUser, useUsers } from "../api/admin.ts";
import { AdminManagePage, type ShownSecret } from "./AdminManagePage.tsx";

/** Users: create (with a one-time password), change role, disable, reset password. */
export function UsersPage() {
  const { t } = useTranslation();
  const users = useUsers();
  const create = useCreateUser();
  const update = useUpdateUser();
  const reset = useResetPassword();
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [shown, setShown] = useState<ShownSecret | null>(null);
  const roleOptions = ROLES.map((value) => ({ value, label: t(`admin.roles.${value}`) }));

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate(
      { username, role, ...(displayName ? { displayName } : {}) },
      {
        onSuccess: ({ user, oneTimePassword }) => {
          setShown({ label: t("admin.users.passwordFor", { name: user.username }), value: oneTimePassword });
          setUsername("");
          setDisplayName("");
        },
      },
    );
  }

  return (
    <AdminManagePage
      subtitle={t("admin.users.subtitle")}
      shown={shown}
      onCloseShown={() => setShown(null)}
      failure={[create.error, update.error, reset.error].find(Boolean)}
      createTitle={t("admin.users.create")}
      createLabel={t("admin.users.createButton")}
      creating={create.isPending}
      onCreate={submit}
      fields={
        <>
          <TextInput
            label={t("admin.users.username")}
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
            required
          />
          <TextInput
            label={t("admin.users.displayName")}
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
          />
          <Select
            label={t("admin.users.role")}
            data={roleOptions}
            value={role}
            onChange={(value) => value && setRole(value as Role)}
            allowDeselect={false}
          />
        </>
      }
    >
      <QueryState query={users}>
        {({ items }) => (
          <Table striped highlightOnHover aria-label={t("admin.users.table")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("admin.users.username")}</Table.Th>
                <Table.Th>{t("admin.users.displayName")}</Table.Th>
                <Table.Th>{t("admin.users.role")}</Table.Th>
                <Table.Th>{t("admin.users.security")}</Table.Th>
                <Table.Th>{t("admin.users.active")}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((user) => (
                <Table.Tr key={user.id}>
                  <Table.Td>{user.username}</Table.Td>
                  <Table.Td>{user.displayName}</Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={t("admin.users.roleOf", { name: user.username })}
                      data={roleOptions}
                      value={user.role}
                      onChange={(value) => value && update.mutate({ id: user.id, role: value as Role })}
                      allowDeselect={false}
                      size="xs"
                      w={150}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {user.totpEnabled ? <Badge color="green">TOTP</Badge> : null}
                      {user.singleSignOn ? <Badge color="blue">SSO</Badge> : null}
                      {user.mustChangePassword ? (
                        <Badge color="orange">{t("admin.users.oneTime")}</Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Switch
                      aria-label={t("admin.users.activeOf", { name: user.username })}
                      checked={!user.disabled}
                      onChange={(e) => update.mutate({ id: user.id, disabled: !e.currentTarget.checked })}
                    />
                  </Table.Td>
                  <Table.Td>
                    {user.singleSignOn ? null : (
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() =>
                          reset.mutate(user.id, {
                            onSuccess: ({ oneTimePassword }) =>
                              setShown({
                                label: t("admin.users.passwordFor", { name: user.username }),
                                value: oneTimePassword,
                              }),
                          })
                        }
                      >
                        {t("admin.users.reset")}
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
