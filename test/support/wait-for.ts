// One poller for tests and the stand-in: it lives with the stand-in, which ships in the product.
export { waitFor } from '../../src/standin/web-api/wait-for.js';
