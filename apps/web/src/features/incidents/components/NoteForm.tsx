import { Button, Group, Textarea } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { MAX_NOTE_LENGTH, useAddIncidentNote } from "../api/add-incident-note.ts";

/** A note for the incident's timeline; Ctrl/⌘+Enter or the button adds it. */
export function NoteForm({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const addNote = useAddIncidentNote(incidentId);
  const blank = text.trim().length === 0;
  const tooLong = text.trim().length > MAX_NOTE_LENGTH;

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (blank || tooLong || addNote.isPending) return;
    addNote.mutate({ text }, { onSuccess: () => setText("") });
  };

  return (
    <form onSubmit={submit} aria-label={t("incidents.notes.form")}>
      <Textarea
        label={t("incidents.notes.label")}
        description={t("incidents.notes.hint", { max: MAX_NOTE_LENGTH })}
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) submit();
        }}
        autosize
        minRows={2}
        maxRows={8}
        error={
          tooLong
            ? t("incidents.notes.tooLong", { max: MAX_NOTE_LENGTH })
            : addNote.error
              ? t("incidents.notes.failed", { reason: (addNote.error as Error).message })
              : undefined
        }
      />
      <Group justify="flex-end" mt="xs">
        <Button type="submit" size="sm" loading={addNote.isPending} disabled={blank || tooLong}>
          {t("incidents.notes.add")}
        </Button>
      </Group>
    </form>
  );
}
