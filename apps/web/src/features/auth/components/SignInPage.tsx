import {
  Alert,
  Anchor,
  Button,
  Center,
  Divider,
  Paper,
  PasswordInput,
  Stack,
  TextInput,
  Title,
} from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLocation } from "react-router";
import { ApiError } from "../../../lib/api.ts";
import { signIn, useAuthMethods } from "../api/session.ts";
import { nextPath, rememberUser } from "../session-bootstrap.ts";

/** Sign-in: user name and password (then the TOTP code when the account has one), or single sign-on. */
export function SignInPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const methods = useAuthMethods();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [totp, setTotp] = useState("");
  const [askTotp, setAskTotp] = useState(false);
  const [busy, setBusy] = useState(false);
  const ssoError = new URLSearchParams(location.search).get("error");
  const [error, setError] = useState<string | null>(ssoError ? t("auth.errors.sso") : null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { user } = await signIn({ username, password, ...(askTotp ? { totp } : {}) });
      rememberUser(user);
      // A full load: every query starts again with the new session.
      window.location.assign(user.mustChangePassword ? "/account" : nextPath(location.search));
    } catch (caught) {
      const code = caught instanceof ApiError ? caught.code : undefined;
      if (code === "totp_required") {
        setAskTotp(true);
      } else if (code === "too_many_attempts") {
        setError(t("auth.errors.tooMany"));
      } else if (caught instanceof ApiError && caught.status === 401) {
        setError(askTotp ? t("auth.errors.code") : t("auth.errors.credentials"));
      } else {
        setError(t("auth.errors.other"));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={380} component="main">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Title order={1} size="h3">
              {t("auth.title")}
            </Title>
            {error ? (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            ) : null}
            <TextInput
              label={t("auth.username")}
              autoComplete="username"
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
              required
              autoFocus
            />
            <PasswordInput
              label={t("auth.password")}
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              required
            />
            {askTotp ? (
              <TextInput
                label={t("auth.totp")}
                description={t("auth.totpHelp")}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                value={totp}
                onChange={(e) => setTotp(e.currentTarget.value.replace(/\D/g, ""))}
                required
                autoFocus
              />
            ) : null}
            <Button type="submit" loading={busy}>
              {t("auth.submit")}
            </Button>
            {methods.data?.oidc ? (
              <>
                <Divider label={t("auth.or")} labelPosition="center" />
                <Button component="a" variant="default" href={methods.data.oidc.startUrl}>
                  {t("auth.sso", { label: methods.data.oidc.label })}
                </Button>
              </>
            ) : null}
            <Anchor href="/api/docs" size="xs" c="dimmed" ta="center">
              {t("auth.apiDocs")}
            </Anchor>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
