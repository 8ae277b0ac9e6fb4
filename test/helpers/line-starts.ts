/** Line starts by the definition, as a reference for LineIndex and the parser's edit positions: after each `\n`, `\r\n` or lone `\r`. */
export function lineStartsByDefinition(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) starts.push(i + 1);
    else if (code === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}
