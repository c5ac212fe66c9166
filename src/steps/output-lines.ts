// Bounded output for notices: at most 20 lines of at most 300 characters, free of terminal escape sequences.

export const MAX_OUTPUT_LINES = 20;
export const MAX_LINE_LENGTH = 300;

// CSI/OSC escape sequences (colours, cursor moves, titles), then any control character but tab.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point.
const TERMINAL_ESCAPES = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

export function cleanLine(line: string): string {
  const clean = line.replace(TERMINAL_ESCAPES, '').replace(CONTROL_CHARACTERS, '');
  return clean.length <= MAX_LINE_LENGTH ? clean : `${clean.slice(0, MAX_LINE_LENGTH - 1)}…`;
}

export type OutputTail = {
  /** Feeds a chunk of one stream; lines of different streams interleave as they complete. */
  write(stream: 'stdout' | 'stderr', chunk: string): void;
  /** Flushes unterminated last lines and returns the tail. */
  end(): string[];
};

/** Keeps the last lines of several streams, holding at most one bounded partial line per stream. */
export function createOutputTail(maxLines: number = MAX_OUTPUT_LINES): OutputTail {
  const lines: string[] = [];
  const partial = { stdout: '', stderr: '' };

  function keep(line: string): void {
    lines.push(cleanLine(line.endsWith('\r') ? line.slice(0, -1) : line));
    if (lines.length > maxLines) lines.shift();
  }

  return {
    write(stream, chunk) {
      const pieces = (partial[stream] + chunk).split('\n');
      const rest = pieces.pop() ?? '';
      for (const piece of pieces) keep(piece);
      // A line with no end in sight only needs the characters a notice can show (and one to mark the cut).
      partial[stream] = rest.slice(0, MAX_LINE_LENGTH * 2);
    },
    end() {
      for (const stream of ['stdout', 'stderr'] as const) {
        if (partial[stream] !== '') keep(partial[stream]);
        partial[stream] = '';
      }
      return [...lines];
    },
  };
}

/** The first lines of a text, bounded, without trailing blank lines. */
export function headLines(text: string, maxLines: number): string[] {
  const lines = text.split('\n').slice(0, maxLines).map(cleanLine);
  while (lines.length > 0 && lines.at(-1)?.trim() === '') lines.pop();
  return lines;
}
