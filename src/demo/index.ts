// `promotion-bot demo`: the whole flow on this machine, with a local Slack stand-in.
export { instructions, publishCommandLine } from './instructions.js';
export { type DemoOptions, type RunningDemo, startDemo } from './start-demo.js';
