export * from '../../src/standin/requests/index.js';
