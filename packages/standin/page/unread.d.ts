// Types of unread.js (browser code without a build step), for the tests that import it.
export type ReadChannel = { readonly id: string; readonly messages: readonly { readonly ts: string }[] };
export type ReadMarks = {
  look(user: string, channel: ReadChannel): void;
  unread(user: string, channel: ReadChannel): number;
};
export function createReadMarks(): ReadMarks;
