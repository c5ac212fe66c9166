import { readdirSync, readFileSync } from 'node:fs';
import {
  APP_MANIFEST_SCHEMA,
  BLOCK_KIT_SCHEMA,
  EVENT_WRAPPER_SCHEMA,
} from '@promotion-bot/standin/slack-reference';
import { describe, expect, it } from 'vitest';

// Slack's schemas live inside the repository, so a plain clone tests anywhere; each says where it comes from.

const FOLDER = new URL('../../../packages/standin/slack-reference/', import.meta.url);
const README = readFileSync(new URL('README.md', FOLDER), 'utf8');
const files = readdirSync(FOLDER);

describe('the vendored Slack reference files', () => {
  it('are the files the stand-in and the tests read, inside the repository', () => {
    for (const url of [BLOCK_KIT_SCHEMA, APP_MANIFEST_SCHEMA, EVENT_WRAPPER_SCHEMA]) {
      expect(url.href.startsWith(FOLDER.href)).toBe(true);
      expect(JSON.parse(readFileSync(url, 'utf8'))).toHaveProperty('$schema');
    }
  });

  it('each name their source and a licence that is there beside them', () => {
    const schemas = files.filter((file) => file.endsWith('.json'));
    expect(schemas.sort()).toEqual([
      'app-manifest.schema.1.0.0.json',
      'block-kit.schema.json',
      'event-wrapper.schema.json',
    ]);
    for (const schema of schemas) {
      const row = README.split('\n').find((line) => line.startsWith(`| \`${schema}\``));
      expect(row, `${schema} has no row in README.md`).toMatch(
        /github\.com\/[\w-]+\/[\w-]+\S* `[^`]+` @ [0-9a-f]{7}/,
      );
      const licence = row?.match(/`(LICENSE\.[\w-]+)`/)?.[1];
      expect(files).toContain(licence);
    }
  });
});
