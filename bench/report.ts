// The results table: every measure next to its same-run baseline, its target and a pass/miss mark.

export type Row = {
  readonly measure: string;
  readonly result: string;
  /** The same measure on the stack's floor, taken in the same run. */
  readonly baseline?: string;
  readonly target?: string;
  /** Undefined when the measure has no target: reported only. */
  readonly pass?: boolean;
};

export type BenchmarkResult = {
  readonly name: string;
  readonly rows: readonly Row[];
  /** How it was measured: what the steps are, what the baseline does, anything a reader must know. */
  readonly notes: readonly string[];
  readonly seconds: number;
};

export type MachineFacts = {
  readonly date: string;
  readonly nproc: number;
  readonly node: string;
  readonly cpu: string;
  readonly memoryGb: number;
  readonly redis: string;
  /** 1-minute load average when the run started and when it ended: other work on the machine shows here. */
  readonly load: readonly [number, number];
};

function mark(pass: boolean | undefined): string {
  if (pass === undefined) return '—';
  return pass ? '✅ pass' : '❌ miss';
}

function cell(text: string | undefined): string {
  return (text ?? '—').replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** What the report is: the main table (`npm run bench`) or a separate part's section of the same file. */
export type ReportHeading = {
  readonly level: 1 | 2;
  readonly title: string;
  readonly intro: readonly string[];
};

export const MAIN_HEADING: ReportHeading = {
  level: 1,
  title: 'Benchmarks',
  intro: [
    'Written by `npm run bench` (bench/run.ts); do not edit by hand. Every baseline is measured in the same run,',
    'on the same machine and the same throw-away `redis-server`, because absolute numbers on a shared machine',
    'mean little. The separate parts (`npm run bench:episodes`, `npm run bench:soak`) write their own sections',
    'below.',
  ],
};

export function renderReport(
  results: readonly BenchmarkResult[],
  facts: MachineFacts,
  totalSeconds: number,
  heading: ReportHeading = MAIN_HEADING,
) {
  const h = (depth: number) => '#'.repeat(heading.level + depth);
  const lines = [
    `${h(0)} ${heading.title}`,
    '',
    ...heading.intro,
    '',
    `- date: ${facts.date}`,
    `- machine: \`nproc\` = ${facts.nproc}, ${facts.cpu}, ${facts.memoryGb} GB RAM`,
    `- Node ${facts.node}, redis-server ${facts.redis}`,
    `- 1-minute load average: ${facts.load[0].toFixed(2)} at the start, ${facts.load[1].toFixed(2)} at the end`,
    `- whole run: ${Math.round(totalSeconds)} s`,
    '',
    '| benchmark | measure | result | baseline (same run) | target | status |',
    '|---|---|---|---|---|---|',
  ];
  for (const result of results) {
    for (const row of result.rows) {
      lines.push(
        `| ${cell(result.name)} | ${cell(row.measure)} | ${cell(row.result)} | ${cell(row.baseline)} | ${cell(row.target)} | ${mark(row.pass)} |`,
      );
    }
  }
  lines.push('', `${h(1)} How each was measured`, '');
  for (const result of results) {
    lines.push(`${h(2)} ${result.name} (${Math.round(result.seconds)} s)`, '');
    for (const note of result.notes) lines.push(`- ${note}`);
    lines.push('');
  }
  const misses = results.flatMap((result) =>
    result.rows.filter((row) => row.pass === false).map((row) => `${result.name}: ${row.measure}`),
  );
  lines.push(
    `${h(1)} Missed targets`,
    '',
    ...(misses.length ? misses.map((miss) => `- ${miss}`) : ['none']),
    '',
  );
  return lines.join('\n');
}
