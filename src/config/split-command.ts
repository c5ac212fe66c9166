import { parse } from 'shell-quote';

export type SplitCommandResult = { ok: true; words: string[] } | { ok: false; messages: string[] };

const NOT_A_SHELL = 'run is not given to a shell, so';
// A private-use character marks where a variable was; a real command line has no reason to contain one.
const VARIABLE = '\uE000';
const VARIABLE_MARK = /\uE000([^\uE000]*)\uE000/g;

function variableMessages(word: string): string[] {
  return [...word.matchAll(VARIABLE_MARK)].map(([, name = '']) =>
    name === ''
      ? `${NOT_A_SHELL} "$" starts nothing: write the command without shell syntax`
      : `${NOT_A_SHELL} $${name} is not expanded: the step gets ${name} as an environment variable, so read it in the script`,
  );
}

/**
 * Splits a `run:` command line into words the way a shell would quote them, and refuses everything a shell
 * would do beyond quoting (operators, globs, variables, comments): the words go to the program directly.
 */
export function splitCommand(text: string): SplitCommandResult {
  const words: string[] = [];
  const messages: string[] = [];
  for (const entry of parse(text, (variable) => `${VARIABLE}${variable}${VARIABLE}`)) {
    if (typeof entry === 'string') {
      const problems = variableMessages(entry);
      messages.push(...problems);
      if (problems.length === 0) words.push(entry);
    } else if ('comment' in entry) {
      messages.push(`${NOT_A_SHELL} "#${entry.comment}" is not a comment: remove it`);
    } else if (entry.op === 'glob') {
      messages.push(
        `${NOT_A_SHELL} ${entry.pattern} is not expanded: quote it to pass it as it is, or list the files`,
      );
    } else {
      messages.push(`${NOT_A_SHELL} "${entry.op}" does not work: put the commands in a script and run that`);
    }
  }
  if (messages.length > 0) return { ok: false, messages };
  if (words.length === 0)
    return { ok: false, messages: ['is empty: give the program to run, like ./deploy.sh'] };
  return { ok: true, words };
}
