import { describe, expect, it } from 'vitest';
import { splitCommand } from '../../../src/config/split-command.js';

describe('splitCommand', () => {
  it('splits words on spaces', () => {
    expect(splitCommand('./deploy.sh --env staging')).toEqual({
      ok: true,
      words: ['./deploy.sh', '--env', 'staging'],
    });
  });

  it('keeps quoted and escaped spaces inside a word', () => {
    expect(splitCommand(`./notify.sh "deploy done" 'for real' a\\ b`)).toEqual({
      ok: true,
      words: ['./notify.sh', 'deploy done', 'for real', 'a b'],
    });
  });

  it('passes quoted globs and dollars as they are', () => {
    expect(splitCommand(`./check.sh '*.json' '$HOME'`)).toEqual({
      ok: true,
      words: ['./check.sh', '*.json', '$HOME'],
    });
  });

  it('reports every piece of shell syntax it finds', () => {
    expect(splitCommand('./a.sh $VERSION; ./b.sh *')).toEqual({
      ok: false,
      messages: [
        'run is not given to a shell, so $VERSION is not expanded: the step gets VERSION as an environment variable, so read it in the script',
        'run is not given to a shell, so ";" does not work: put the commands in a script and run that',
        'run is not given to a shell, so * is not expanded: quote it to pass it as it is, or list the files',
      ],
    });
  });

  it('rejects a variable inside a word', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable, not a template placeholder
    expect(splitCommand('./deploy.sh --version=${VERSION}')).toMatchObject({
      ok: false,
      messages: [expect.stringContaining('$VERSION is not expanded')],
    });
  });

  it('rejects a comment', () => {
    expect(splitCommand('./deploy.sh # fast')).toEqual({
      ok: false,
      messages: ['run is not given to a shell, so "# fast" is not a comment: remove it'],
    });
  });

  it('rejects command substitution', () => {
    expect(splitCommand('./deploy.sh $(whoami)')).toMatchObject({ ok: false });
  });

  it('rejects an empty command', () => {
    expect(splitCommand('   ')).toEqual({
      ok: false,
      messages: ['is empty: give the program to run, like ./deploy.sh'],
    });
  });
});
