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

/** Says how an action went, in a screen's one place for it. */
export interface Outcome {
  readonly element: HTMLElement;
  show(kind: "ok" | "failed" | "info", text: string): void;
  clear(): void;
}

/**
 * Two live regions side by side, present from the start and only ever changing their text, so screen readers
 * announce them: a failure interrupts (role="alert"), a success or a note waits its turn (role="status").
 * Class names say the kind ("result ok", "result failed") for the colours.
 */
export function outcome(): Outcome {
  const polite = el("div", { class: "result", role: "status" });
  const urgent = el("div", { class: "result", role: "alert" });
  const clear = () => {
    for (const region of [polite, urgent]) {
      region.className = "result";
      region.textContent = "";
    }
  };
  return {
    element: el("div", { class: "outcome" }, polite, urgent),
    show: (kind, text) => {
      clear();
      const region = kind === "failed" ? urgent : polite;
      region.className = `result ${kind}`;
      region.textContent = text;
      region.scrollIntoView({ block: "nearest" });
    },
    clear,
  };
}

/**
 * A yes/no question in a modal dialog inside the app rather than window.confirm, which would show the widget's
 * address and cannot be styled. Focus moves to the safe answer; Escape or that answer says no and puts focus
 * back where it was.
 */
export function ask(question: string, detail: string, yes: string, no: string): Promise<boolean> {
  const title = el("h2", { id: "ask-title" }, question);
  const text = el("p", { id: "ask-text" }, detail);
  const keep = button(no, () => dialog.close("no"));
  const agree = button(yes, () => dialog.close("yes"), "danger");
  const dialog = el("dialog", { class: "ask", role: "alertdialog", "aria-modal": "true", "aria-labelledby": title.id,
    "aria-describedby": text.id }, title, text, el("div", { class: "actions" }, keep, agree)) as HTMLDialogElement;
  const before = document.activeElement;
  document.body.appendChild(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      dialog.remove();
      const agreed = dialog.returnValue === "yes";
      if (!agreed) {
        const back = before instanceof HTMLElement && before !== document.body && before.isConnected ? before : document.querySelector("h1");
        back?.focus();
      }
      resolve(agreed);
    });
    dialog.showModal();
    keep.focus();
  });
}

/** True while a question from {@link ask} waits for its answer. */
export function asking(): boolean {
  return document.querySelector("dialog.ask[open]") !== null;
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

/**
 * The little markdown an operator writes in a field's help: [links](https://…), **bold** and `code`, and
 * paragraphs split by blank lines. Built as DOM nodes from text, so nothing in it can become markup.
 */
export function markdown(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const token = /\[([^\]]+)\]\((https:\/\/[^\s)]+)\)|\*\*([^*]+)\*\*|`([^`]+)`/g;
  text.split(/\n\s*\n/).forEach((paragraph, i) => {
    if (i > 0) {
      fragment.appendChild(el("br", {}));
    }
    let at = 0;
    for (const match of paragraph.matchAll(token)) {
      fragment.appendChild(document.createTextNode(paragraph.slice(at, match.index)));
      if (match[1] !== undefined) {
        fragment.appendChild(el("a", { href: match[2], target: "_blank", rel: "noopener noreferrer" }, match[1]));
      } else if (match[3] !== undefined) {
        fragment.appendChild(el("strong", {}, match[3]));
      } else {
        fragment.appendChild(el("code", {}, match[4]));
      }
      at = (match.index ?? 0) + match[0].length;
    }
    fragment.appendChild(document.createTextNode(paragraph.slice(at)));
  });
  return fragment;
}
