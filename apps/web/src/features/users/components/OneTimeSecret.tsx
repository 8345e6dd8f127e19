import { Alert, Button, Code, CopyButton, Group, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

/** A secret shown this once (one-time password, API key), with a copy button. */
export function OneTimeSecret({ label, value, onClose }: { label: string; value: string; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Alert color="yellow" title={label} withCloseButton onClose={onClose} role="status">
      <Text size="sm" mb="xs">
        {t("admin.shownOnce")}
      </Text>
      <Group gap="sm" wrap="nowrap">
        <Code style={{ wordBreak: "break-all" }}>{value}</Code>
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Button size="xs" variant="default" onClick={copy}>
              {copied ? t("admin.copied") : t("admin.copy")}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Alert>
  );
}
