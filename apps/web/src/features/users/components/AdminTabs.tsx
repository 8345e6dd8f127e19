import { Tabs } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useLocation, useNavigate } from "react-router";

const TABS = ["users", "keys", "audit"] as const;

/** Tabs between the administration pages. */
export function AdminTabs() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const current = TABS.find((tab) => pathname.endsWith(`/${tab}`)) ?? "users";
  return (
    <Tabs value={current} onChange={(tab) => tab && navigate(`/admin/${tab}`)} mb="md">
      <Tabs.List>
        {TABS.map((tab) => (
          <Tabs.Tab key={tab} value={tab}>
            {t(`admin.tabs.${tab}`)}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}
