export * from '../../../src/standin/web-api/index.js';
