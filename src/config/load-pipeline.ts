import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Document, LineCounter, parseDocument, type YAMLError } from 'yaml';
import type { z } from 'zod';
import type { Pipeline as PipelineModel } from '../domain/pipeline.js';
import { duplicateKeyOffsets } from './duplicate-keys.js';
import { issueMessage } from './issue-message.js';
import { Pipeline } from './pipeline-schema.js';
import { offsetOf, type PathSegment, pathAt } from './yaml-location.js';

/** One thing wrong with a pipeline file. `line` and `column` are 1-based; 0 when the problem is the file itself. */
export type PipelineProblem = { path: string; line: number; column: number; message: string };

export type ParsePipelineResult =
  | { ok: true; pipeline: PipelineModel }
  | { ok: false; problems: PipelineProblem[] };

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `['services', 'checkout', 'environments', 2, 'approval']` -> `services.checkout.environments[2].approval`. */
export function formatPath(path: readonly PathSegment[]): string {
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (!PLAIN_KEY.test(segment)) return `[${JSON.stringify(segment)}]`;
      return index === 0 ? segment : `.${segment}`;
    })
    .join('');
}

function problemAt(
  doc: Document,
  lines: LineCounter,
  path: readonly PathSegment[],
  where: 'key' | 'value',
  message: string,
) {
  const { line, col } = lines.linePos(offsetOf(doc, path, where));
  return { path: formatPath(path), line, column: col, message };
}

function yamlMessage(error: YAMLError): string {
  return `YAML syntax error: ${error.message}`;
}

function problemAtOffset(
  doc: Document,
  lines: LineCounter,
  offset: number,
  message: string,
): PipelineProblem {
  const { line, col } = lines.linePos(offset);
  return { path: formatPath(pathAt(doc, offset)), line, column: col, message };
}

/** yaml's errors and the repeated keys (which yaml is not asked to find: duplicate-keys.ts says why). */
function yamlProblems(doc: Document, lines: LineCounter): PipelineProblem[] {
  return [
    ...doc.errors.map((error) => problemAtOffset(doc, lines, error.pos[0], yamlMessage(error))),
    ...duplicateKeyOffsets(doc).map((offset) =>
      problemAtOffset(doc, lines, offset, 'duplicate key: each key may appear only once in a map'),
    ),
  ].sort(byPosition);
}

function toSegments(path: readonly PropertyKey[]): PathSegment[] {
  return path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
}

function schemaProblems(
  doc: Document,
  lines: LineCounter,
  issues: readonly z.core.$ZodIssue[],
): PipelineProblem[] {
  return issues.flatMap((issue) => {
    const path = toSegments(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => problemAt(doc, lines, [...path, key], 'key', issue.message));
    }
    return [problemAt(doc, lines, path, issue.code === 'invalid_key' ? 'key' : 'value', issue.message)];
  });
}

function byPosition(a: PipelineProblem, b: PipelineProblem): number {
  return a.line - b.line || a.column - b.column;
}

/** Parses and validates a pipeline file's text; on failure, every problem found, in the order of the file. */
export function parsePipeline(text: string): ParsePipelineResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    merge: true,
    uniqueKeys: false,
  });
  const problems = yamlProblems(doc, lines);
  if (problems.length > 0) return { ok: false, problems };
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    // yaml refuses documents whose aliases expand too far (a "billion laughs" file).
    const message = `YAML error: ${error instanceof Error ? error.message : String(error)}`;
    return { ok: false, problems: [{ path: '', line: 1, column: 1, message }] };
  }
  const result = Pipeline.safeParse(value, { error: issueMessage });
  if (result.success) return { ok: true, pipeline: result.data };
  return { ok: false, problems: schemaProblems(doc, lines, result.error.issues).sort(byPosition) };
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** Reads and parses a pipeline file; a file that cannot be read is a problem too. */
export async function loadPipelineFile(file: string): Promise<ParsePipelineResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    const message =
      code === 'ENOENT'
        ? `no pipeline file at ${resolve(file)}: create it, or set PIPELINE_FILE to the path of your pipeline file`
        : `cannot read the pipeline file at ${resolve(file)} (${code ?? String(error)}): check the path and its permissions, or set PIPELINE_FILE`;
    return { ok: false, problems: [{ path: '', line: 0, column: 0, message }] };
  }
  return parsePipeline(text);
}

/** `pipeline.yml:12:9 services.checkout.environments[2].approval.required: must be at least 1` */
export function formatProblems(problems: readonly PipelineProblem[], file: string): string[] {
  return problems.map(({ path, line, column, message }) => {
    const where = line > 0 ? `${file}:${line}:${column}` : `${file}:`;
    return path === '' ? `${where} ${message}` : `${where} ${path}: ${message}`;
  });
}
