/**
 * A form generated from a connector's JSON schema (`user_config_spec.connectionSpecification`), following the
 * Airbyte spec conventions: `order` and `group` place fields, `airbyte_secret` masks them, `oneOf` is a choice
 * whose option brings its own fields, `default` pre-fills. Every control has a label, its description and its
 * error message are linked with aria-describedby, and validation messages appear next to the field.
 */
import type { Schema } from "./api";
import { el, markdown, richText } from "./dom";

/** Groups an end user rarely needs: shown closed. */
const COLLAPSED = /advanced|performance/i;

/** What a masked secret looks like when the API returns a saved configuration. */
const MASK = /^\*+$/;

/** A field's message as shown next to it, for a summary of them at the top of the form. */
export interface FieldProblem {
  /** The control's id, for a link to it. */
  readonly id: string;
  readonly label: string;
  readonly message: string;
}

interface Node {
  readonly element: HTMLElement;
  /** A choice with a single option: nothing to choose, so not shown, yet its value is sent. */
  readonly hidden?: boolean;
  /** undefined: leave the key out of the configuration. */
  value(): unknown;
  /** Shows this node's problems; returns the nodes that have one, in page order. */
  validate(): Node[];
  focus(): void;
  setError(message: string | null): void;
  /** The message shown next to this node's control, if any. */
  shownError(): FieldProblem | null;
  find(path: string[]): Node | null;
}

let ids = 0;
const nextId = (name: string) => `f${++ids}-${name.replace(/[^A-Za-z0-9_-]/g, "_")}`;

const typeOf = (schema: Schema): string | undefined =>
  Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;

const titleOf = (name: string, schema: Schema) =>
  schema.title ?? name.replace(/_/g, " ").replace(/^\w/, (c) => c.toUpperCase());

export class SchemaForm {
  private readonly root: ObjectNode;

  constructor(spec: Schema, initial: Record<string, unknown> | undefined) {
    this.root = new ObjectNode("", spec, initial ?? {}, spec.groups ?? []);
  }

  get element(): HTMLElement {
    return this.root.element;
  }

  value(): Record<string, unknown> {
    return (this.root.value() as Record<string, unknown>) ?? {};
  }

  /** The fields' problems in page order, each shown next to its field; the first bad field gets the focus. */
  validate(): FieldProblem[] {
    const invalid = this.root.validate();
    invalid[0]?.focus();
    return problemsOf(invalid);
  }

  /** Errors the server reported, by dotted path ("host", "ssl_mode.mode"); returns those that found a field. */
  showErrors(errors: Record<string, string>): FieldProblem[] {
    const shown: Node[] = [];
    for (const [path, message] of Object.entries(errors)) {
      const node = this.root.find(path.split(".").filter(Boolean));
      if (node) {
        node.setError(message);
        shown.push(node);
      }
    }
    shown[0]?.focus();
    return problemsOf(shown);
  }
}

function problemsOf(nodes: Node[]): FieldProblem[] {
  return nodes.map((n) => n.shownError()).filter((p): p is FieldProblem => p !== null);
}

class ObjectNode implements Node {
  readonly element: HTMLElement;
  private readonly children = new Map<string, Node>();

  constructor(readonly name: string, schema: Schema, initial: Record<string, unknown>, groups: { id: string; title?: string }[],
    omit?: string) {
    this.element = el("div", { class: "fields" });
    const required = new Set(schema.required ?? []);
    const entries = Object.entries(schema.properties ?? {})
      .filter(([key, property]) => key !== omit && !property.airbyte_hidden)
      .sort(([a, x], [b, y]) => (x.order ?? Number.MAX_SAFE_INTEGER) - (y.order ?? Number.MAX_SAFE_INTEGER) || a.localeCompare(b));
    const sections = new Map<string, HTMLElement>();
    const sectionFor = (group: string | undefined): HTMLElement => {
      const known = groups.find((g) => g.id === group);
      const key = known ? known.id : "";
      let section = sections.get(key);
      if (!section) {
        if (known?.title && COLLAPSED.test(known.id + " " + known.title)) {
          section = el("details", { class: "group" }, el("summary", {}, known.title));
        } else {
          section = known?.title
            ? el("fieldset", { class: "group" }, el("legend", {}, known.title))
            : el("div", { class: "group" });
        }
        sections.set(key, section);
      }
      return section;
    };
    // on the form itself (not inside a choice or an object), fields the user may leave alone wait under
    // "More options", unless the connector asks to always show them (a password) outside its advanced groups
    const more = name === "" && omit === undefined ? el("details", { class: "group more" }, el("summary", {}, "More options")) : null;
    for (const [key, property] of entries) {
      const node = field(key, property, initial[key], required.has(key));
      this.children.set(key, node);
      if (node.hidden) {
        this.element.appendChild(node.element);
      } else if (more && !required.has(key) && !(property.always_show && !COLLAPSED.test(property.group ?? ""))) {
        more.appendChild(node.element);
      } else {
        sectionFor(property.group).appendChild(node.element);
      }
    }
    const order = ["", ...groups.map((g) => g.id)];
    [...sections.entries()].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
      .forEach(([, section]) => this.element.appendChild(section));
    if (more && more.childElementCount > 1) {
      this.element.appendChild(more);
    }
  }

  value(): unknown {
    const out: Record<string, unknown> = {};
    for (const [key, node] of this.children) {
      const v = node.value();
      if (v !== undefined) {
        out[key] = v;
      }
    }
    return out;
  }

  validate(): Node[] {
    return [...this.children.values()].flatMap((n) => n.validate());
  }

  focus(): void {
    this.children.values().next().value?.focus();
  }

  setError(): void {}

  shownError(): FieldProblem | null {
    return null;
  }

  find(path: string[]): Node | null {
    if (path.length === 0) {
      return this;
    }
    return this.children.get(path[0])?.find(path.slice(1)) ?? null;
  }
}

function field(name: string, schema: Schema, initial: unknown, required: boolean): Node {
  if (schema.oneOf?.length) {
    return new ChoiceNode(name, schema, initial, required);
  }
  const type = typeOf(schema);
  if (type === "object" && schema.properties) {
    return new NestedNode(name, schema, initial);
  }
  const itemType = schema.items ? typeOf(schema.items) : "string";
  if (type === "array" && (itemType === "string" || itemType === "integer" || itemType === "number")) {
    return new ListNode(name, schema, initial, required);
  }
  if (type === "array" && itemType === "object" && schema.items?.properties) {
    return new RowsNode(name, schema, initial, required);
  }
  if (type === "object" || type === "array" || type === undefined) {
    return new JsonNode(name, schema, initial, required);
  }
  return new ScalarNode(name, schema, initial, required);
}

/** Label, control, description and error message, wired together for assistive technology. */
abstract class LabelledNode implements Node {
  readonly element: HTMLElement;
  protected readonly id: string;
  private readonly error: HTMLElement;
  private readonly label: string;
  protected abstract readonly control: HTMLElement;

  protected constructor(readonly name: string, protected readonly schema: Schema, protected readonly required: boolean) {
    this.id = nextId(name);
    this.label = titleOf(name, schema);
    this.error = el("p", { class: "error", id: `${this.id}-error`, hidden: "" });
    this.element = el("div", { class: "field" });
  }

  /** Called by subclasses once their control exists. */
  protected assemble(control: HTMLElement, inline = false): void {
    const label = el("label", { for: this.id }, this.label);
    if (this.required) {
      label.appendChild(el("span", { class: "required", "aria-hidden": "true" }, " *"));
    }
    const described = [`${this.id}-error`];
    const parts: HTMLElement[] = [];
    if (this.schema.description) {
      const help = el("p", { class: "help", id: `${this.id}-help` }, richText(this.schema.description));
      described.unshift(help.id);
      parts.push(help);
    }
    if (this.schema.help) {
      const where = el("p", { class: "help where", id: `${this.id}-where` }, markdown(this.schema.help));
      described.splice(described.length - 1, 0, where.id);
      parts.push(where);
    }
    control.id = this.id;
    control.setAttribute("aria-describedby", described.join(" "));
    if (this.required) {
      control.setAttribute("aria-required", "true");
    }
    // a message goes as soon as its field is fixed, while the user types: going on blur instead, it moved the
    // buttons below between the press and the release of the click that caused the blur, and the click was lost
    control.addEventListener("input", () => this.recheck());
    control.addEventListener("change", () => this.recheck());
    if (inline) {
      this.element.classList.add("inline");
      this.element.append(el("div", { class: "inline-row" }, control, label), ...parts, this.error);
    } else {
      this.element.append(label, control, ...parts, this.error);
    }
  }

  abstract value(): unknown;

  protected abstract problem(): string | null;

  validate(): Node[] {
    const message = this.problem();
    this.setError(message);
    return message ? [this] : [];
  }

  focus(): void {
    this.control.focus();
  }

  /** A field showing a message checks again as it changes; one without says nothing until the next save or test. */
  private recheck(): void {
    if (this.control.getAttribute("aria-invalid") === "true") {
      this.setError(this.problem());
    }
  }

  shownError(): FieldProblem | null {
    return this.error.hidden ? null : { id: this.id, label: this.label, message: this.error.textContent ?? "" };
  }

  setError(message: string | null): void {
    this.error.textContent = message ?? "";
    this.error.hidden = !message;
    if (message) {
      this.element.closest("details")?.setAttribute("open", "");
      this.control.setAttribute("aria-invalid", "true");
    } else {
      this.control.removeAttribute("aria-invalid");
    }
  }

  find(path: string[]): Node | null {
    return path.length === 0 ? this : null;
  }
}

class ScalarNode extends LabelledNode {
  protected readonly control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  private readonly type: string;
  /** A saved secret comes back masked: left empty, the masked value is sent and the server keeps the secret. */
  private readonly savedSecret: string | null;

  constructor(name: string, schema: Schema, initial: unknown, required: boolean) {
    super(name, schema, required);
    this.type = typeOf(schema) ?? "string";
    const start = initial ?? schema.default;
    this.savedSecret = schema.airbyte_secret && typeof initial === "string" && MASK.test(initial) ? initial : null;
    if (this.type === "boolean") {
      const box = el("input", { type: "checkbox" }) as HTMLInputElement;
      box.checked = start === true;
      this.control = box;
      this.assemble(box, true);
      return;
    }
    if (schema.enum?.length) {
      const select = el("select", {}) as HTMLSelectElement;
      if (!required || start === undefined) {
        select.appendChild(el("option", { value: "" }, required ? "Choose…" : "—"));
      }
      for (const option of schema.enum) {
        select.appendChild(el("option", { value: String(option) }, String(option)));
      }
      select.value = start === undefined ? "" : String(start);
      this.control = select;
    } else if (schema.multiline) {
      const area = el("textarea", { rows: "4", spellcheck: "false", autocomplete: "off" }) as HTMLTextAreaElement;
      if (schema.airbyte_secret) {
        area.classList.add("secret"); // keys and certificates: masked like a password field
        if (this.savedSecret) {
          area.placeholder = "Saved — leave empty to keep it";
        }
      }
      area.value = start === undefined || schema.airbyte_secret ? "" : String(start);
      this.control = area;
    } else {
      const input = el("input", { type: "text", spellcheck: "false", autocomplete: "off" }) as HTMLInputElement;
      if (schema.airbyte_secret) {
        input.type = "password";
        input.autocomplete = "new-password";
        if (this.savedSecret) {
          input.placeholder = "Saved — leave empty to keep it";
        }
      } else if (this.type === "integer" || this.type === "number") {
        input.inputMode = this.type === "integer" ? "numeric" : "decimal";
      }
      if (!this.savedSecret && start !== undefined && start !== null) {
        input.value = String(start);
      }
      if (schema.examples?.length && !input.placeholder) {
        input.placeholder = `e.g. ${String(schema.examples[0])}`;
      }
      this.control = input;
    }
    this.assemble(this.control);
  }

  private raw(): string {
    return this.control.value.trim();
  }

  value(): unknown {
    if (this.type === "boolean") {
      return (this.control as HTMLInputElement).checked;
    }
    // a secret is sent as typed (spaces may matter); one left blank keeps the saved secret
    const text = this.schema.airbyte_secret && this.raw() !== "" ? this.control.value : this.raw();
    if (text === "") {
      return this.savedSecret ?? undefined;
    }
    if (this.type === "integer" || this.type === "number") {
      const n = Number(text);
      return Number.isFinite(n) ? n : text;
    }
    return text;
  }

  protected problem(): string | null {
    if (this.type === "boolean") {
      return null;
    }
    const text = this.raw();
    if (text === "") {
      return this.required && !this.savedSecret ? "This field is required" : null;
    }
    if (this.type === "integer" || this.type === "number") {
      const n = Number(text);
      if (!Number.isFinite(n) || (this.type === "integer" && !Number.isInteger(n))) {
        return this.type === "integer" ? "Enter a whole number" : "Enter a number";
      }
      if (this.schema.minimum !== undefined && n < this.schema.minimum) {
        return `Must be at least ${this.schema.minimum}`;
      }
      if (this.schema.maximum !== undefined && n > this.schema.maximum) {
        return `Must be at most ${this.schema.maximum}`;
      }
    }
    if (this.schema.pattern) {
      try {
        if (!new RegExp(this.schema.pattern, "u").test(text)) {
          return `Must match the format ${this.schema.pattern_descriptor ?? this.schema.pattern}`;
        }
      } catch {
        // a pattern JavaScript cannot compile is left to the server to check
      }
    }
    return null;
  }
}

/** A list of strings or numbers, one per line. */
class ListNode extends LabelledNode {
  protected readonly control: HTMLTextAreaElement;
  private readonly itemType: string;

  constructor(name: string, schema: Schema, initial: unknown, required: boolean) {
    super(name, { ...schema, description: [schema.description, "One per line."].filter(Boolean).join(" ") }, required);
    this.itemType = (schema.items && typeOf(schema.items)) ?? "string";
    this.control = el("textarea", { rows: "3", spellcheck: "false" }) as HTMLTextAreaElement;
    const start = initial ?? schema.default;
    if (Array.isArray(start)) {
      this.control.value = start.map(String).join("\n");
    }
    this.assemble(this.control);
  }

  private items(): string[] {
    return this.control.value.split("\n").map((s) => s.trim()).filter(Boolean);
  }

  value(): unknown {
    const items = this.items();
    if (items.length === 0) {
      return undefined;
    }
    return this.itemType === "integer" || this.itemType === "number" ? items.map(Number) : items;
  }

  protected problem(): string | null {
    const items = this.items();
    if (items.length === 0) {
      return this.required ? "Add at least one value" : null;
    }
    if (this.itemType === "integer" || this.itemType === "number") {
      const numbers = items.map(Number);
      if (numbers.some((n) => !Number.isFinite(n) || (this.itemType === "integer" && !Number.isInteger(n)))) {
        return this.itemType === "integer" ? "Each line must be a whole number" : "Each line must be a number";
      }
      const item = this.schema.items ?? {};
      if (item.minimum !== undefined && numbers.some((n) => n < item.minimum!)) {
        return `Each value must be at least ${item.minimum}`;
      }
      if (item.maximum !== undefined && numbers.some((n) => n > item.maximum!)) {
        return `Each value must be at most ${item.maximum}`;
      }
    }
    return null;
  }
}

/** A value the form has no control for (a list of objects, a free-form object): edited as JSON, never mangled. */
class JsonNode extends LabelledNode {
  protected readonly control: HTMLTextAreaElement;

  constructor(name: string, schema: Schema, initial: unknown, required: boolean) {
    super(name, { ...schema, description: [schema.description, "As JSON."].filter(Boolean).join(" ") }, required);
    this.control = el("textarea", { rows: "4", spellcheck: "false", class: "json" }) as HTMLTextAreaElement;
    const start = initial ?? schema.default;
    if (start !== undefined) {
      this.control.value = JSON.stringify(start, null, 2);
    }
    this.assemble(this.control);
  }

  value(): unknown {
    const text = this.control.value.trim();
    if (text === "") {
      return undefined;
    }
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  protected problem(): string | null {
    const text = this.control.value.trim();
    if (text === "") {
      return this.required ? "This field is required" : null;
    }
    try {
      const parsed = JSON.parse(text);
      const type = typeOf(this.schema);
      if (type === "array" && !Array.isArray(parsed)) {
        return "Enter a JSON list, such as [ ]";
      }
      if (type === "object" && (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))) {
        return "Enter a JSON object, such as { }";
      }
      return null;
    } catch {
      return "This is not valid JSON";
    }
  }
}

/** A list of objects (e.g. table filters): one row of fields per item, added and removed with buttons, never JSON. */
class RowsNode implements Node {
  readonly element: HTMLElement;
  private readonly rows: { object: ObjectNode; element: HTMLElement }[] = [];
  private readonly list = el("div", { class: "rows" });
  private readonly add: HTMLButtonElement;
  private readonly itemTitle: string;
  private readonly error: HTMLElement;
  private readonly id: string;

  constructor(readonly name: string, private readonly schema: Schema, initial: unknown, private readonly required: boolean) {
    this.id = nextId(name);
    const title = titleOf(name, schema);
    this.itemTitle = schema.items?.title ?? "Item";
    this.error = el("p", { class: "error", id: `${this.id}-error`, hidden: "" });
    const legend = el("legend", {}, title);
    if (required) {
      legend.appendChild(el("span", { class: "required", "aria-hidden": "true" }, " *"));
    }
    this.element = el("fieldset", { class: "nested rows-field", id: this.id, tabindex: "-1" }, legend);
    if (schema.description) {
      this.element.appendChild(el("p", { class: "help" }, richText(schema.description)));
    }
    if (schema.help) {
      this.element.appendChild(el("p", { class: "help where" }, markdown(schema.help)));
    }
    this.add = el("button", { type: "button", class: "button secondary" }, `Add ${this.itemTitle.toLowerCase()}`) as HTMLButtonElement;
    this.add.addEventListener("click", () => {
      this.addRow({});
      this.rows[this.rows.length - 1].object.focus();
    });
    this.element.append(this.list, this.error, this.add);
    const start = initial ?? schema.default;
    if (Array.isArray(start)) {
      start.forEach((item) => this.addRow((item as Record<string, unknown>) ?? {}));
    }
  }

  private addRow(initial: Record<string, unknown>): void {
    const object = new ObjectNode(this.name, this.schema.items!, initial, []);
    const heading = el("p", { class: "row-title" });
    const remove = el("button", { type: "button", class: "button link" }, "Remove") as HTMLButtonElement;
    const element = el("div", { class: "row" }, el("div", { class: "row-head" }, heading, remove), object.element);
    const row = { object, element };
    remove.addEventListener("click", () => {
      const at = this.rows.indexOf(row);
      this.rows.splice(at, 1);
      element.remove();
      this.renumber();
      (this.rows[Math.min(at, this.rows.length - 1)]?.object ?? { focus: () => this.add.focus() }).focus();
    });
    this.rows.push(row);
    this.list.appendChild(element);
    this.renumber();
  }

  private renumber(): void {
    this.rows.forEach((row, i) => {
      const label = `${this.itemTitle} ${i + 1}`;
      (row.element.querySelector(".row-title") as HTMLElement).textContent = label;
      row.element.querySelector("button")?.setAttribute("aria-label", `Remove ${label.toLowerCase()}`);
    });
  }

  value(): unknown {
    return this.rows.length === 0 ? undefined : this.rows.map((row) => row.object.value());
  }

  validate(): Node[] {
    const inRows = this.rows.flatMap((row) => row.object.validate());
    this.setError(this.rows.length === 0 && this.required ? `Add at least one ${this.itemTitle.toLowerCase()}` : null);
    return this.error.hidden ? inRows : [this, ...inRows];
  }

  focus(): void {
    (this.rows[0]?.object ?? { focus: () => this.add.focus() }).focus();
  }

  setError(message: string | null): void {
    this.error.textContent = message ?? "";
    this.error.hidden = !message;
    if (message) {
      this.element.closest("details")?.setAttribute("open", "");
    }
  }

  shownError(): FieldProblem | null {
    return this.error.hidden ? null : { id: this.add.id || this.id, label: titleOf(this.name, this.schema), message: this.error.textContent ?? "" };
  }

  find(path: string[]): Node | null {
    if (path.length === 0) {
      return this;
    }
    const row = this.rows[Number(path[0])];
    return row ? row.object.find(path.slice(1)) : null;
  }
}

/** An object field: its own fieldset of fields. */
class NestedNode implements Node {
  readonly element: HTMLElement;
  private readonly object: ObjectNode;

  constructor(name: string, schema: Schema, initial: unknown) {
    this.object = new ObjectNode(name, schema, (initial as Record<string, unknown>) ?? {}, []);
    this.element = el("fieldset", { class: "nested" }, el("legend", {}, titleOf(name, schema)));
    if (schema.description) {
      this.element.appendChild(el("p", { class: "help" }, richText(schema.description)));
    }
    this.element.appendChild(this.object.element);
  }

  value(): unknown {
    return this.object.value();
  }

  validate(): Node[] {
    return this.object.validate();
  }

  focus(): void {
    this.object.focus();
  }

  setError(): void {}

  shownError(): FieldProblem | null {
    return null;
  }

  find(path: string[]): Node | null {
    return this.object.find(path);
  }
}

/** `oneOf`: the user picks an option (a select), whose own fields appear below it. */
class ChoiceNode extends LabelledNode {
  protected readonly control: HTMLSelectElement;
  private readonly options: Schema[];
  private readonly discriminator: string | undefined;
  private readonly body = el("div", { class: "choice-fields" });
  private readonly optionHelp = el("p", { class: "help option-help" });
  private current: ObjectNode | null = null;

  constructor(name: string, schema: Schema, initial: unknown, required: boolean) {
    super(name, schema, required);
    this.options = schema.oneOf ?? [];
    this.discriminator = discriminatorOf(this.options);
    this.control = el("select", {}) as HTMLSelectElement;
    this.options.forEach((option, i) => this.control.appendChild(el("option", { value: String(i) }, option.title ?? `Option ${i + 1}`)));
    this.assemble(this.control);
    this.optionHelp.id = `${this.id}-option`;
    this.control.setAttribute("aria-describedby", `${this.control.getAttribute("aria-describedby")} ${this.optionHelp.id}`);
    this.element.classList.add("choice");
    this.element.append(this.optionHelp, this.body);
    const start = (initial ?? schema.default) as Record<string, unknown> | undefined;
    const chosen = this.discriminator && start ? this.options.findIndex((o) => constOf(o.properties?.[this.discriminator!]) === start[this.discriminator!]) : -1;
    this.control.value = String(Math.max(chosen, 0));
    this.render(chosen >= 0 ? start : undefined);
    this.control.addEventListener("change", () => this.render(undefined));
    if (this.options.length === 1 && Object.keys(this.options[0].properties ?? {}).every((key) => key === this.discriminator)) {
      this.element.hidden = true;
    }
  }

  get hidden(): boolean {
    return this.element.hidden;
  }

  private render(initial: Record<string, unknown> | undefined): void {
    const option = this.options[Number(this.control.value)] ?? this.options[0];
    this.optionHelp.replaceChildren(richText(option.description ?? ""));
    this.optionHelp.hidden = !option.description;
    this.current = new ObjectNode(this.name, option, initial ?? {}, [], this.discriminator);
    this.body.replaceChildren(this.current.element);
  }

  value(): unknown {
    const option = this.options[Number(this.control.value)] ?? this.options[0];
    const out = (this.current?.value() as Record<string, unknown>) ?? {};
    if (this.discriminator) {
      out[this.discriminator] = constOf(option.properties?.[this.discriminator]);
    }
    return out;
  }

  protected problem(): string | null {
    return null;
  }

  validate(): Node[] {
    return this.current?.validate() ?? [];
  }

  find(path: string[]): Node | null {
    if (path.length === 0 || path[0] === this.discriminator) {
      return this;
    }
    return this.current?.find(path) ?? null;
  }
}

function constOf(schema: Schema | undefined): unknown {
  if (!schema) {
    return undefined;
  }
  if (schema.const !== undefined) {
    return schema.const;
  }
  return schema.enum?.length === 1 ? schema.enum[0] : schema.default;
}

/** The property every option pins to one value (e.g. `mode`, `method`): it tells the options apart. */
function discriminatorOf(options: Schema[]): string | undefined {
  const first = options[0]?.properties ?? {};
  return Object.keys(first).find((key) =>
    options.every((o) => {
      const p = o.properties?.[key];
      return p !== undefined && (p.const !== undefined || p.enum?.length === 1);
    }));
}
