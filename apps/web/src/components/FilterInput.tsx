import { TextInput } from "@mantine/core";
import { useEffect, useState } from "react";

/** A text filter applied on Enter or when leaving the field (not at each keystroke: each is a query). */
export function FilterInput({
  label,
  value,
  onApply,
  width = 160,
}: {
  label: string;
  value: string;
  onApply(value: string): void;
  width?: number;
}) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  return (
    <TextInput
      aria-label={label}
      placeholder={label}
      value={text}
      onChange={(event) => setText(event.currentTarget.value)}
      onBlur={() => text !== value && onApply(text.trim())}
      onKeyDown={(event) => {
        if (event.key === "Enter") onApply(text.trim());
      }}
      size="xs"
      w={width}
    />
  );
}
