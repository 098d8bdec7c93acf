// fromString's clean-up (T4.3): drop the leading blank lines and the indentation all other lines
// share, so that an indented template literal reads as the text it shows.

/** The cleaned template and how many leading lines were dropped (to keep error lines right). */
export function removeCommonIndentation(template: string): { text: string; droppedLines: number } {
  const lines = template.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop(); // as Python's splitlines()
  let first = 0;
  while (first < lines.length && lines[first].trim() === "") first++;
  const kept = lines.slice(first);

  let indent = Infinity;
  for (const line of kept) {
    if (line.trim() === "") continue;
    indent = Math.min(indent, /^[ \t]*/.exec(line)![0].length);
  }
  if (indent === Infinity) indent = 0;
  return { text: kept.map((line) => line.slice(indent)).join("\n"), droppedLines: first };
}
