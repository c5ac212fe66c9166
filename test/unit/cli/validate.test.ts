import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateCommand } from '../../../src/cli/validate.js';
import { PRODUCTION, SERVICE_HEADER, yaml } from '../config/pipeline-text.js';

async function fileWith(text: string): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'promotion-bot-validate-'));
  const file = join(directory, 'pipeline.yml');
  await writeFile(file, text);
  return file;
}

async function validate(file: string): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await validateCommand(file, { write: (line) => lines.push(line) });
  return { code, lines };
}

describe('validateCommand', () => {
  it('summarizes a valid pipeline in one line and exits 0', async () => {
    const file = fileURLToPath(new URL('../../../pipeline.example.yml', import.meta.url));

    expect(await validate(file)).toEqual({
      code: 0,
      lines: [`${file}: OK — 1 service: checkout (development -> staging -> production)`],
    });
  });

  it('lists every service in the summary', async () => {
    const file = await fileWith(
      yaml(
        ...SERVICE_HEADER,
        ...PRODUCTION,
        '  payments:',
        '    channel: C0PAY',
        '    owners: [U0ALICE]',
        '    environments:',
        '      - name: staging',
        '        deploy: { run: ./deploy.sh }',
        ...PRODUCTION,
      ),
    );

    expect(await validate(file)).toEqual({
      code: 0,
      lines: [`${file}: OK — 2 services: checkout (production), payments (staging -> production)`],
    });
  });

  it('prints every problem with its line and exits 1', async () => {
    const file = await fileWith(
      yaml(
        ...SERVICE_HEADER,
        '      - name: production',
        '        deploy: { run: ./deploy.sh }',
        '        approval: { approvers: [U0CAROL], required: 0, expiresAfter: 1 }',
      ),
    );

    expect(await validate(file)).toEqual({
      code: 1,
      lines: [
        `${file}:8:53 services.checkout.environments[0].approval.required: must be at least 1`,
        `${file}:8:70 services.checkout.environments[0].approval.expiresAfter: 1 has no unit: write 1s for seconds, 1m for minutes or 1ms for milliseconds`,
      ],
    });
  });

  it('says which file is missing and exits 1', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'promotion-bot-validate-'));
    const file = join(directory, 'pipeline.yml');

    expect(await validate(file)).toEqual({
      code: 1,
      lines: [
        `${file}: no pipeline file at ${file}: create it, or set PIPELINE_FILE to the path of your pipeline file`,
      ],
    });
  });
});
