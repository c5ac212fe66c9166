// One poller for tests and the stand-in: the stand-in's own, which its package exports.
export { waitFor } from '@promotion-bot/standin/wait-for';
