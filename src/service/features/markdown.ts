/**
 * The one place where untrusted text (schema descriptions and names from custom schema files, `let` text, sample
 * field names and values, mapping keys) becomes Markdown for hovers, completion and signature documentation.
 * Everything goes through one of three forms, so no link, image (a remote image is a beacon), HTML tag, entity
 * or heading can come from a repository: only the Markdown we write around these calls is interpreted.
 */

/** Characters CommonMark/GFM interpret; a backslash before any ASCII punctuation makes it literal. */
const SPECIAL = /[\\`*_{}[\]()#+\-.!|<>~&:="'@$%^?]/g;

/** `text` as literal Markdown text: every punctuation character escaped, line breaks kept as spaces. */
export function escapeMarkdown(text: string): string {
  return text.replace(SPECIAL, '\\$&').replace(/[\r\n\u2028\u2029]/g, ' ');
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 0x60) {
      run++;
      if (run > longest) longest = run;
    } else run = 0;
  }
  return longest;
}

/**
 * `text` as an inline code span: nothing inside is interpreted. The fence is one backtick longer than the
 * longest run in the text (CommonMark), padded with spaces when the text starts or ends with a backtick.
 */
export function codeSpan(text: string): string {
  if (text === '') return '` `';
  const flat = text.replace(/[\r\n\u2028\u2029]/g, ' ');
  const fence = '`'.repeat(longestBacktickRun(flat) + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ') && flat.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** `text` as a fenced code block: the fence is longer than any backtick run inside, so the text cannot close it. */
export function codeBlock(text: string, language = ''): string {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}
