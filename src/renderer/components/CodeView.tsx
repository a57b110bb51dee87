/** Read-only code with line numbers, syntax colours (highlight.js core) and a Copy button. */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { HLJSApi } from 'highlight.js';
import { Button } from './Button';

let highlighter: HLJSApi | null = null;
let loadingHighlighter: Promise<HLJSApi> | null = null;

/**
 * Load highlight.js (its own chunk): the app asks for it once the first screen is ready, so a
 * source opened later is coloured at once; a CodeView shown before it is in shows the plain text
 * for that moment.
 */
export function loadHighlighter(): Promise<HLJSApi> {
  return (loadingHighlighter ??= import('./highlighter').then((m) => (highlighter = m.hljs)));
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export type CodeLanguage = 'typescript' | 'javascript' | 'sql';

export interface CodeViewProps {
  code: string;
  language: CodeLanguage;
  /** Accessible name of the code region, e.g. "Source of 2025_add_users.ts". */
  label: string;
  /** 1-based lines to highlight (the failing statement). */
  highlightLines?: number[];
  /** 1-based line to bring into view (a migration's part, the failing statement). */
  scrollToLine?: number | null;
}

const LINE_HEIGHT = 18;
const PADDING_TOP = 8;

/** Copy text to the clipboard; true when it worked. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function CodeView({ code, language, label, highlightLines = [], scrollToLine = null }: CodeViewProps) {
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  const scrollRef = useRef<HTMLDivElement>(null);
  const [hljs, setHljs] = useState(highlighter);
  useEffect(() => {
    if (!hljs) void loadHighlighter().then((loaded) => setHljs(() => loaded));
  }, [hljs]);
  useEffect(() => {
    const el = scrollRef.current;
    if (el && scrollToLine) el.scrollTop = Math.max(0, PADDING_TOP + (scrollToLine - 1) * LINE_HEIGHT - 2 * LINE_HEIGHT);
  }, [scrollToLine, code]);
  // highlight.js escapes the source; its output is safe to inject (and so is the escaped plain text).
  const html = useMemo(() => (hljs ? hljs.highlight(code, { language, ignoreIllegals: true }).value : escapeHtml(code)), [hljs, code, language]);
  const lineCount = useMemo(() => code.split('\n').length - (code.endsWith('\n') ? 1 : 0), [code]);
  const marked = new Set(highlightLines);
  return (
    <div className="code-view">
      <div className="code-toolbar">
        <span className="faint">
          {lineCount} lines · {language === 'sql' ? 'SQL' : language === 'typescript' ? 'TypeScript' : 'JavaScript'}
          {highlightLines.length > 0 && <span className="code-marked-note"> · lines {highlightLines[0]}–{highlightLines.at(-1)} marked: the failing statement</span>}
        </span>
        <Button
          size="small"
          onClick={async () => {
            setCopied((await copyText(code)) ? 'done' : 'failed');
            window.setTimeout(() => setCopied('idle'), 1500);
          }}
        >
          {copied === 'done' ? 'Copied' : copied === 'failed' ? 'Copy failed' : 'Copy'}
        </Button>
      </div>
      <div className="code-scroll" role="region" aria-label={label} tabIndex={0} ref={scrollRef}>
        {highlightLines.map((line) => (
          <span key={line} className="code-band" aria-hidden="true" style={{ top: PADDING_TOP + (line - 1) * LINE_HEIGHT, height: LINE_HEIGHT }} />
        ))}
        <pre className="code-gutter" aria-hidden="true">
          {Array.from({ length: Math.max(lineCount, 1) }, (_, i) => (
            <span key={i} className={marked.has(i + 1) ? 'code-line-marked' : undefined}>
              {i + 1}
              {'\n'}
            </span>
          ))}
        </pre>
        <pre className="code-text">
          <code className={`hljs language-${language}`} dangerouslySetInnerHTML={{ __html: html }} />
        </pre>
      </div>
    </div>
  );
}
