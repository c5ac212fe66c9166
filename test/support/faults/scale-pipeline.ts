import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serviceNames } from '../workspace.js';

// Many services with no-op steps, for scale-out tests: every step run appends `<service> <environment> <version>
// weight=<weight>` to steps.log in the workspace, and fails when a `fail-<service>-<environment>` marker exists.

const STEP = `#!/bin/sh
echo "$SERVICE $ENVIRONMENT $VERSION weight=$WEIGHT" >> steps.log
if [ -e "fail-$SERVICE-$ENVIRONMENT" ]; then echo "$SERVICE: deploy to $ENVIRONMENT failed"; exit 3; fi
`;

/** `svc-01` … in a channel of its own each, development (auto) then production behind the gate, no pauses. */
export function scalePipeline(count: number): string {
  const services = serviceNames(count).map(
    (name) => `  ${name}:
    channel: C0${name.replace('-', '').toUpperCase()}
    owners: [U0ALICE]
    environments:
      - name: development
        deploy: { run: ./step.sh }
        promote: auto
      - name: production
        approval: { approvers: [U0CAROL], expiresAfter: 1h }
        deploy: { run: ./step.sh }
`,
  );
  return `services:\n${services.join('')}`;
}

/** Writes step.sh and the pipeline file into `dir`; returns the pipeline file's path. */
export async function writeScalePipeline(dir: string, count: number): Promise<string> {
  await writeFile(join(dir, 'step.sh'), STEP);
  await chmod(join(dir, 'step.sh'), 0o755);
  const file = join(dir, 'scale-pipeline.yml');
  await writeFile(file, scalePipeline(count));
  return file;
}

/** The lines step.sh has logged so far, one per step run. */
export async function stepRuns(dir: string): Promise<string[]> {
  const text = await readFile(join(dir, 'steps.log'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean);
}
