import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { PageHeader } from "../../../components/PageHeader.tsx";
import { QueryState } from "../../../components/QueryState.tsx";
import { ApiError } from "../../../lib/api.ts";
import { signOut, useAccount, useBeginTotp, useChangePassword, useTotpCode } from "../api/account.ts";

function errorText(error: unknown, fallback: string): string {
  return error instanceof ApiError && error.status < 500 ? error.message : fallback;
}

function PasswordSection({ required }: { required: boolean }) {
  const { t } = useTranslation();
  const change = useChangePassword();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const mismatch = confirm.length > 0 && next !== confirm;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (mismatch) return;
    change.mutate(
      { currentPassword: current, newPassword: next },
      {
        onSuccess: () => {
          setCurrent("");
          setNext("");
          setConfirm("");
          // The session was renewed: reload so that every page starts with it.
          if (required) window.location.assign("/");
        },
      },
    );
  }

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="password-title">
      <form onSubmit={submit}>
        <Stack gap="sm" maw={420}>
          <Title order={2} size="h4" id="password-title">
            {t("account.password.title")}
          </Title>
          {required ? <Alert color="orange">{t("account.password.required")}</Alert> : null}
          <Text size="sm" c="dimmed">
            {t("account.password.help")}
          </Text>
          <PasswordInput
            label={t("account.password.current")}
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            required
          />
          <PasswordInput
            label={t("account.password.new")}
            autoComplete="new-password"
            description={t("account.password.rule")}
            value={next}
            onChange={(e) => setNext(e.currentTarget.value)}
            required
            minLength={12}
          />
          <PasswordInput
            label={t("account.password.confirm")}
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.currentTarget.value)}
            error={mismatch ? t("account.password.mismatch") : undefined}
            required
          />
          {change.isError ? <Alert color="red">{errorText(change.error, t("account.error"))}</Alert> : null}
          {change.isSuccess ? <Alert color="green">{t("account.password.done")}</Alert> : null}
          <Group>
            <Button type="submit" loading={change.isPending} disabled={mismatch}>
              {t("account.password.submit")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function TotpSection({ enabled, required }: { enabled: boolean; required: boolean }) {
  const { t } = useTranslation();
  const begin = useBeginTotp();
  const confirm = useTotpCode("confirm");
  const disable = useTotpCode("disable");
  const [code, setCode] = useState("");
  const action = enabled ? disable : confirm;

  function submit(event: FormEvent) {
    event.preventDefault();
    action.mutate(code, {
      onSuccess: () => {
        setCode("");
        begin.reset();
        if (required) window.location.assign("/");
      },
    });
  }

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="totp-title">
      <Stack gap="sm" maw={520}>
        <Group gap="sm">
          <Title order={2} size="h4" id="totp-title">
            {t("account.totp.title")}
          </Title>
          <Badge color={enabled ? "green" : "gray"}>
            {enabled ? t("account.totp.on") : t("account.totp.off")}
          </Badge>
        </Group>
        {required ? <Alert color="orange">{t("account.totp.required")}</Alert> : null}
        <Text size="sm" c="dimmed">
          {t("account.totp.help")}
        </Text>
        {!enabled && !begin.data ? (
          <Group>
            <Button onClick={() => begin.mutate()} loading={begin.isPending}>
              {t("account.totp.start")}
            </Button>
          </Group>
        ) : null}
        {!enabled && begin.data ? (
          <Stack gap="xs">
            <Text size="sm">{t("account.totp.scan")}</Text>
            <Anchor href={begin.data.uri} size="sm">
              {t("account.totp.openLink")}
            </Anchor>
            <Text size="sm">
              {t("account.totp.secret")} <Code>{begin.data.secret}</Code>
            </Text>
          </Stack>
        ) : null}
        {enabled || begin.data ? (
          <form onSubmit={submit}>
            <Group align="flex-end">
              <TextInput
                label={enabled ? t("account.totp.codeToDisable") : t("account.totp.codeToConfirm")}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                value={code}
                onChange={(e) => setCode(e.currentTarget.value.replace(/\D/g, ""))}
                required
              />
              <Button type="submit" loading={action.isPending} color={enabled ? "red" : undefined}>
                {enabled ? t("account.totp.disable") : t("account.totp.confirm")}
              </Button>
            </Group>
          </form>
        ) : null}
        {action.isError ? <Alert color="red">{errorText(action.error, t("account.error"))}</Alert> : null}
      </Stack>
    </Paper>
  );
}

/** "My account": who I am, my password, my authenticator, signing out here or everywhere. */
export function AccountPage() {
  const { t } = useTranslation();
  const query = useAccount();
  const [leaving, setLeaving] = useState(false);

  async function leave(everywhere: boolean) {
    setLeaving(true);
    await signOut(everywhere).catch(() => undefined);
    window.location.assign("/sign-in");
  }

  return (
    <>
      <PageHeader title={t("account.title")} />
      <QueryState query={query}>
        {({ user, restricted }) =>
          user ? (
            <Stack>
              <Paper withBorder p="md">
                <Group justify="space-between">
                  <div>
                    <Text fw={600}>{user.displayName}</Text>
                    <Text size="sm" c="dimmed">
                      {user.username} · {t(`account.roles.${user.role}`)}
                      {user.singleSignOn ? ` · ${t("account.sso")}` : ""}
                    </Text>
                  </div>
                  <Group>
                    <Button variant="default" onClick={() => leave(false)} loading={leaving}>
                      {t("account.signOut")}
                    </Button>
                    <Button variant="default" color="red" onClick={() => leave(true)} loading={leaving}>
                      {t("account.signOutEverywhere")}
                    </Button>
                  </Group>
                </Group>
              </Paper>
              {user.hasPassword ? (
                <PasswordSection required={restricted === "password_change_required"} />
              ) : null}
              {restricted !== "password_change_required" ? (
                <TotpSection enabled={user.totpEnabled} required={restricted === "totp_enrolment_required"} />
              ) : null}
            </Stack>
          ) : (
            <Alert>{t("account.keyOnly")}</Alert>
          )
        }
      </QueryState>
    </>
  );
}
