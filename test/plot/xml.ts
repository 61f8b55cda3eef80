/**
 * A small XML well-formedness checker for tests (no DOM in the node test environment): one root
 * element, properly nested and closed tags, quoted and unique attributes, only the predefined or
 * numeric entities, no stray "<" or "&". Returns how many elements of each name it saw.
 */

const NAME_START = /[A-Za-z_:]/;
const NAME_CHAR = /[-A-Za-z0-9_:.]/;

export interface XmlSummary {
  root: string;
  counts: Map<string, number>;
}

function checkEntities(s: string, where: number): void {
  let i = s.indexOf("&");
  while (i >= 0) {
    const end = s.indexOf(";", i);
    if (end < 0) throw new Error(`bare & at ${where + i}`);
    const ent = s.slice(i + 1, end);
    const ok =
      ["amp", "lt", "gt", "quot", "apos"].includes(ent) ||
      /^#[0-9]+$/.test(ent) ||
      /^#x[0-9a-fA-F]+$/.test(ent);
    if (!ok) throw new Error(`unknown entity &${ent}; at ${where + i}`);
    i = s.indexOf("&", end);
  }
}

export function parseXml(xml: string): XmlSummary {
  const counts = new Map<string, number>();
  const stack: string[] = [];
  let root = "";
  let rootClosed = false;
  let i = 0;
  if (xml.startsWith("<?xml")) {
    const end = xml.indexOf("?>");
    if (end < 0) throw new Error("unterminated XML declaration");
    i = end + 2;
  }
  const readName = (): string => {
    if (!NAME_START.test(xml[i] ?? ""))
      throw new Error(`expected a name at ${i}: ${JSON.stringify(xml.slice(i, i + 20))}`);
    const start = i;
    while (i < xml.length && NAME_CHAR.test(xml[i])) i++;
    return xml.slice(start, i);
  };
  const skipSpace = () => {
    while (i < xml.length && " \t\r\n".includes(xml[i])) i++;
  };
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const textEnd = lt < 0 ? xml.length : lt;
    const content = xml.slice(i, textEnd);
    checkEntities(content, i);
    if (stack.length === 0 && content.trim() !== "") throw new Error(`text outside the root element at ${i}`);
    if (lt < 0) break;
    i = lt;
    if (xml.startsWith("<!--", i)) {
      const end = xml.indexOf("-->", i + 4);
      if (end < 0) throw new Error(`unterminated comment at ${i}`);
      i = end + 3;
      continue;
    }
    if (xml.startsWith("</", i)) {
      i += 2;
      const name = readName();
      skipSpace();
      if (xml[i] !== ">") throw new Error(`expected > after </${name} at ${i}`);
      i++;
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}> at ${i}`);
      if (stack.length === 0) rootClosed = true;
      continue;
    }
    i++;
    const name = readName();
    if (stack.length === 0) {
      if (root) throw new Error(`second root element <${name}> at ${i}`);
      root = name;
    }
    if (rootClosed) throw new Error(`element after the root at ${i}`);
    counts.set(name, (counts.get(name) ?? 0) + 1);
    const seen = new Set<string>();
    for (;;) {
      const before = i;
      skipSpace();
      if (xml.startsWith("/>", i)) {
        i += 2;
        if (stack.length === 0) rootClosed = true;
        break;
      }
      if (xml[i] === ">") {
        i++;
        stack.push(name);
        break;
      }
      if (i === before) throw new Error(`expected whitespace before an attribute at ${i}`);
      const attr = readName();
      if (seen.has(attr)) throw new Error(`duplicate attribute ${attr} on <${name}> at ${i}`);
      seen.add(attr);
      skipSpace();
      if (xml[i] !== "=") throw new Error(`expected = after ${attr} at ${i}`);
      i++;
      skipSpace();
      const q = xml[i];
      if (q !== '"' && q !== "'") throw new Error(`unquoted attribute ${attr} at ${i}`);
      const end = xml.indexOf(q, i + 1);
      if (end < 0) throw new Error(`unterminated attribute ${attr} at ${i}`);
      const value = xml.slice(i + 1, end);
      if (value.includes("<")) throw new Error(`< in attribute ${attr} at ${i}`);
      checkEntities(value, i + 1);
      i = end + 1;
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]}>`);
  if (!root) throw new Error("no root element");
  return { root, counts };
}

export function count(xml: string, element: string): number {
  return parseXml(xml).counts.get(element) ?? 0;
}
