/**
 * highlight.js with the languages CodeView shows. Its own chunk, loaded after the first screen
 * (see loadHighlighter in CodeView): ~40 kB of code whose language definitions are built when
 * it loads, which the first screen does not need.
 */
import hljs from 'highlight.js/lib/core';
import typescript from 'highlight.js/lib/languages/typescript';
import javascript from 'highlight.js/lib/languages/javascript';
import sql from 'highlight.js/lib/languages/sql';

hljs.registerLanguage('typescript', typescript);
hljs.registerLanguage('javascript', javascript);
hljs.registerLanguage('sql', sql);

export { hljs };
