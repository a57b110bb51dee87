/** Read-only code with line numbers, syntax colours (highlight.js core) and a Copy button. */
import { useEffect, useMemo, useRef, useState } from 'react';
import hljs from 'highlight.js/lib/core';
import typescript from 'highlight.js/lib/languages/typescript';
import javascript from 'highlight.js/lib/languages/javascript';
import sql from 'highlight.js/lib/languages/sql';
import { Button } from './Button';

hljs.registerLanguage('typescript', typescript);
hljs.registerLanguage('javascript', javascript);
hljs.registerLanguage('sql', sql);

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
  useEffect(() => {
    const el = scrollRef.current;
    if (el && scrollToLine) el.scrollTop = Math.max(0, PADDING_TOP + (scrollToLine - 1) * LINE_HEIGHT - 2 * LINE_HEIGHT);
  }, [scrollToLine, code]);
  // highlight.js escapes the source; its output is safe to inject.
  const html = useMemo(() => hljs.highlight(code, { language, ignoreIllegals: true }).value, [code, language]);
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
