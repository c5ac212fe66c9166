// Where Slack's vendored reference schemas are (README.md: their sources and licences). The one copy the stand-in
// and the tests both read; next to the compiled module too, since `npm run build` copies the folder.
export const BLOCK_KIT_SCHEMA = new URL('./block-kit.schema.json', import.meta.url);
export const APP_MANIFEST_SCHEMA = new URL('./app-manifest.schema.1.0.0.json', import.meta.url);
export const EVENT_WRAPPER_SCHEMA = new URL('./event-wrapper.schema.json', import.meta.url);
