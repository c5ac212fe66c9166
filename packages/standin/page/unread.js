// Slack's unread badges: a channel's count is the messages that arrived since this person last looked at it, and
// looking clears it. Thread replies and edits leave it alone, as in Slack.

/** Read marks per person and channel: the newest message each has seen there. */
export function createReadMarks() {
  const newestSeen = new Map();
  const key = (user, channel) => `${user} ${channel.id}`;
  return {
    /** The person has the channel open: everything in it now counts as read. */
    look(user, channel) {
      const newest = channel.messages.reduce(
        (latest, message) => (isNewer(message.ts, latest) ? message.ts : latest),
        '',
      );
      if (newest) newestSeen.set(key(user, channel), newest);
    },
    unread(user, channel) {
      const seen = newestSeen.get(key(user, channel)) ?? '';
      return channel.messages.filter((message) => isNewer(message.ts, seen)).length;
    },
  };
}

/** Slack timestamps ("1733212345.000100") compared exactly: seconds, then the sequence after the dot. */
function isNewer(ts, than) {
  if (!than) return true;
  const [seconds = 0, sequence = 0] = ts.split('.').map(Number);
  const [thanSeconds = 0, thanSequence = 0] = than.split('.').map(Number);
  return seconds === thanSeconds ? sequence > thanSequence : seconds > thanSeconds;
}
