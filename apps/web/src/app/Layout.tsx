import {
  AppShell,
  Burger,
  Group,
  Loader,
  NativeSelect,
  SegmentedControl,
  Text,
  Tooltip,
  UnstyledButton,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { Suspense, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link, NavLink, Outlet, useSearchParams } from "react-router";
import { availableTimeZones, type Language } from "../lib/format.ts";
import { useLiveStatus } from "../lib/live.tsx";
import { usePreferences } from "../lib/preferences.tsx";
import { useCurrentUser } from "../lib/session.ts";
import { NAV_ITEMS } from "./features.ts";
import classes from "./Layout.module.css";

function LiveIndicator() {
  const { t } = useTranslation();
  const status = useLiveStatus();
  return (
    <Tooltip label={t(`shell.live.${status}Help`)}>
      <Group gap={6} className={classes.live} data-status={status} aria-live="polite" tabIndex={0}>
        <span className={classes.liveDot} aria-hidden="true" />
        <Text size="sm">{t(`shell.live.${status}`)}</Text>
      </Group>
    </Tooltip>
  );
}

function Preferences() {
  const { t } = useTranslation();
  const { language, setLanguage, timeZone, setTimeZone } = usePreferences();
  const zones = useMemo(() => availableTimeZones(), []);
  return (
    <Group gap="sm" wrap="nowrap">
      {/* A native list: hundreds of zones, keyboard search built in, and no combobox in the board's bundle. */}
      <NativeSelect
        aria-label={t("shell.timeZone")}
        data={zones}
        value={timeZone}
        onChange={(event) => setTimeZone(event.currentTarget.value)}
        size="xs"
        w={150}
      />
      <SegmentedControl
        aria-label={t("shell.language")}
        size="xs"
        value={language}
        onChange={(value) => setLanguage(value as Language)}
        data={[
          { value: "fr", label: "FR" },
          { value: "en", label: "EN" },
        ]}
      />
    </Group>
  );
}

function UserLink() {
  const user = useCurrentUser();
  if (!user) return null;
  return (
    <Link to="/account" className={classes.user}>
      {user.name}
    </Link>
  );
}

/** The frame of every page: header with navigation, live status and preferences; the page below. */
export function Layout() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const [search] = useSearchParams();
  // Wall-screen mode: the board alone, nothing to click.
  const wall = search.get("wall") === "1";
  const links = NAV_ITEMS.map((item) => (
    <UnstyledButton
      key={item.to}
      component={NavLink}
      to={item.to}
      end={item.to === "/"}
      className={classes.link}
      onClick={close}
    >
      {item.icon ? <item.icon size={18} stroke={1.8} /> : null}
      <span>{t(item.labelKey)}</span>
    </UnstyledButton>
  ));

  return (
    <AppShell
      header={{ height: wall ? 0 : 60 }}
      navbar={{ width: 260, breakpoint: "lg", collapsed: { desktop: true, mobile: !opened } }}
      padding={wall ? "xs" : "md"}
      disabled={wall}
    >
      <a className={classes.skip} href="#main">
        {t("shell.skipToContent")}
      </a>
      {wall ? null : (
        <AppShell.Header className={classes.header}>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="lg" wrap="nowrap">
              <Burger
                opened={opened}
                onClick={toggle}
                hiddenFrom="lg"
                color="white"
                size="sm"
                aria-label={t("shell.menu")}
              />
              <NavLink to="/" className={classes.brand} aria-label={t("shell.home")}>
                <svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true">
                  <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" strokeWidth="2" />
                  <path
                    d="M12 5v7l5 3"
                    fill="none"
                    stroke="currentColor"
                    strokeWidth="2"
                    strokeLinecap="round"
                  />
                </svg>
                <span>Vigie</span>
              </NavLink>
              <nav aria-label={t("shell.mainNavigation")} className={classes.nav}>
                <Group gap={2} visibleFrom="lg" wrap="nowrap">
                  {links}
                </Group>
              </nav>
            </Group>
            <Group gap="sm" wrap="nowrap" visibleFrom="sm">
              <LiveIndicator />
              <Preferences />
              <UserLink />
            </Group>
          </Group>
        </AppShell.Header>
      )}
      {wall || !opened ? null : (
        <AppShell.Navbar p="md">
          <nav aria-label={t("shell.mainNavigation")}>{links}</nav>
          <Group mt="md">
            <LiveIndicator />
          </Group>
          <Group mt="md">
            <Preferences />
          </Group>
        </AppShell.Navbar>
      )}
      <AppShell.Main id="main" className={classes.main} tabIndex={-1}>
        <Suspense
          fallback={
            <Group justify="center" p="xl">
              <Loader aria-label={t("common.loading")} />
            </Group>
          }
        >
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
