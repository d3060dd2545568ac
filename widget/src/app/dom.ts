/** Creates an element with attributes and children; text children are inserted as text, never as HTML. */
export function el(tag: string, attributes: Record<string, string> = {}, ...children: (Node | string | null | undefined)[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      element.append(child);
    }
  }
  return element;
}

export function button(label: string, onClick: () => void, kind: "primary" | "secondary" | "danger" | "link" = "secondary"): HTMLButtonElement {
  const b = el("button", { type: "button", class: `button ${kind}` }, label) as HTMLButtonElement;
  b.addEventListener("click", () => {
    if (b.getAttribute("aria-disabled") !== "true") {
      onClick();
    }
  });
  return b;
}

/**
 * A short-lived busy state on a button, restored when the work ends. The button stays focusable (aria-disabled
 * rather than disabled) so a keyboard user's focus is not thrown back to the top of the page.
 */
export async function busy<T>(b: HTMLButtonElement, label: string, work: () => Promise<T>): Promise<T> {
  const before = b.textContent;
  b.setAttribute("aria-disabled", "true");
  b.setAttribute("aria-busy", "true");
  b.textContent = label;
  try {
    return await work();
  } finally {
    b.removeAttribute("aria-disabled");
    b.removeAttribute("aria-busy");
    b.textContent = before;
  }
}

/**
 * Connector descriptions carry a little HTML (mostly links to documentation). Only their text and https links
 * are kept; nothing from them is ever inserted as markup.
 */
export function richText(html: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const parsed = new DOMParser().parseFromString(html, "text/html");
  const copy = (from: ChildNode, to: Node) => {
    if (from.nodeType === Node.TEXT_NODE) {
      to.appendChild(document.createTextNode(from.textContent ?? ""));
    } else if (from instanceof HTMLAnchorElement && /^https:\/\//.test(from.getAttribute("href") ?? "")) {
      to.appendChild(el("a", { href: from.getAttribute("href")!, target: "_blank", rel: "noopener noreferrer" }, from.textContent ?? ""));
    } else {
      from.childNodes.forEach((child) => copy(child, to));
    }
  };
  parsed.body.childNodes.forEach((child) => copy(child, fragment));
  return fragment;
}
