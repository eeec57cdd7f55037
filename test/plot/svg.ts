/**
 * A small well-formedness check of SVG text for tests: every tag closes in order (a stack of element
 * names), attributes are quoted, the root is <svg>; and the text content of <text> elements.
 */
export function checkSvg(svg: string): { root: string; elements: number; texts: string[] } {
  const stack: string[] = [];
  const texts: string[] = [];
  let elements = 0;
  let root = '';
  const body = svg.replace(/<\?xml[^>]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '');
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = tag.exec(body)) !== null) {
    const between = body.slice(last, m.index);
    if (between.includes('<')) throw new Error(`malformed markup near: ${between.slice(between.indexOf('<'), between.indexOf('<') + 60)}`);
    if (stack[stack.length - 1] === 'text' && between.trim()) texts.push(between.trim());
    last = m.index + m[0].length;
    const [, closing, name, , selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else {
      elements++;
      if (!root) root = name;
      if (!selfClosing) stack.push(name);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed elements: ${stack.join(' > ')}`);
  if (body.slice(last).trim()) throw new Error('text after the root element');
  return { root, elements, texts };
}

/** Decodes the XML entities vega writes in text. */
export function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&amp;/g, '&');
}
