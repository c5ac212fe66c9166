// Where Slack's vendored reference schemas are (../slack-reference/README.md: their sources and licences): the one
// copy the stand-in and the tests both read. The folder sits at the package's root, beside src/ and dist/, so the
// same relative path finds it from the sources and from the build.
export const SLACK_REFERENCE = new URL('../slack-reference/', import.meta.url);
export const BLOCK_KIT_SCHEMA = new URL('block-kit.schema.json', SLACK_REFERENCE);
export const APP_MANIFEST_SCHEMA = new URL('app-manifest.schema.1.0.0.json', SLACK_REFERENCE);
export const EVENT_WRAPPER_SCHEMA = new URL('event-wrapper.schema.json', SLACK_REFERENCE);
