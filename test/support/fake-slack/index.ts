export * from '../../../src/standin/web-api/index.js';
export { TEST_CHANNELS } from './channels.js';
