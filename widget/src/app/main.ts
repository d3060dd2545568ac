/**
 * The end-user app inside the widget's iframe: the user's sources and their sync status, the connectors the
 * operator offers, a form per connector, test, save, edit and delete. It talks to the API with the scoped token
 * the embedding page hands over, and tells that page what happened.
 */
import { Api, ApiError, type ConnectionState, NetworkError, type Source, type SourceTemplate, type Theme } from "./api";
import { Bridge, claims } from "./bridge";
import { ask, asking, busy, button, el, outcome } from "./dom";
import { type FieldProblem, SchemaForm } from "./form";
import { BLOCKED_MESSAGE, consentIn, offersOAuth, openConsentWindow } from "./oauth";

const params = new URLSearchParams(window.location.search);
const workspaceId = params.get("workspaceId") ?? "";
const allowedOrigin = params.get("allowedOrigin") ?? "";
const bridge = new Bridge(allowedOrigin);
const root = document.getElementById("app") as HTMLElement;

let api: Api | null = null;
let templates: SourceTemplate[] = [];
/** The screen to show again once a fresh token arrives. */
let resume: () => void = () => void home();
let waitingForToken = false;
let current = "";
/** The screen the user was on when the session expired, shown again as it was once a new token arrives. */
let parked: Node[] | null = null;
/** Set when the page's token is for another origin: nothing will work, and no later screen replaces that message. */
let refused = false;
/** True while the form on the screen holds edits the user has not saved; a form sets it, other screens have none. */
let unsaved: () => boolean = () => false;

function screen(title: string, ...content: (HTMLElement | null)[]): HTMLElement {
  const heading = el("h1", { tabindex: "-1" }, title);
  root.replaceChildren(heading, ...content.filter((c): c is HTMLElement => c !== null));
  heading.focus();
  return heading;
}

function message(title: string, text: string, ...actions: HTMLButtonElement[]): void {
  screen(title, el("p", { class: "lead" }, text), actions.length ? el("div", { class: "actions" }, ...actions) : null);
}

function explain(error: unknown): string {
  if (error instanceof NetworkError) {
    return "The service cannot be reached. Check your internet connection, then try again.";
  }
  if (error instanceof ApiError) {
    return error.summary();
  }
  return "Something went wrong. Try again.";
}

/** Runs a step that loads data; a lost network or an expired session gets its own screen. */
async function load(step: () => Promise<void>): Promise<void> {
  resume = () => void load(step);
  try {
    await step();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      return; // onUnauthorized already shows the expired screen
    }
    message(error instanceof NetworkError ? "You appear to be offline" : "Something went wrong", explain(error),
      button("Try again", () => void load(step), "primary"));
  }
}

/**
 * A request was refused for its token. Unless a newer token has arrived since, the screen is parked (a form
 * keeps what the user typed), the page is told ({@code session_expired}, for it to call updateToken) and asked
 * for a token again.
 */
function sessionExpired(used: string): void {
  if (used !== current || waitingForToken) {
    return;
  }
  waitingForToken = true;
  parked = root.querySelector("form") ? [...root.childNodes] : null;
  message("Your session has expired", "Reconnecting… If nothing happens, close this window and open it again.",
    button("Close", () => bridge.close()));
  bridge.notify("session_expired");
  bridge.requestToken();
}

/** Expiry is left to the server (the user's clock may be wrong): a refused call shows the expired screen. */
function tokenArrived(token: string): void {
  const c = claims(token);
  if (c.allowed_origin && c.allowed_origin !== bridge.origin) {
    refused = true;
    message("This page cannot use this widget", "It was opened from a page that is not allowed to connect data here.");
    return;
  }
  if (api === null) {
    api = new Api(token, sessionExpired);
    current = token;
    api.theme().then(applyTheme, () => undefined); // the default look is fine when this fails
    void home();
    return;
  }
  if (waitingForToken && token === current) {
    return; // the page answered with the token that just expired: wait for updateToken
  }
  current = token;
  api.setToken(token);
  if (waitingForToken) {
    waitingForToken = false;
    if (parked) {
      root.replaceChildren(...parked);
      parked = null;
      (root.querySelector("h1") as HTMLElement | null)?.focus();
    } else {
      resume();
    }
  }
}

/** The operator's name, logo and colour; text on the colour is white or near-black, whichever reads better. */
function applyTheme(theme: Theme): void {
  const style = document.documentElement.style;
  if (/^#[0-9a-f]{6}$/i.test(theme.primary_color)) {
    style.setProperty("--primary", theme.primary_color);
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(theme.primary_color.slice(i, i + 2), 16) / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    // WCAG contrast ratios against white and against the dark text colour (luminance 0.017): the better one wins
    const onWhite = 1.05 / (luminance + 0.05);
    const onDark = (luminance + 0.05) / 0.067;
    style.setProperty("--primary-text", onDark > onWhite ? "#1f2430" : "#ffffff");
  }
  const brand = document.getElementById("brand");
  if (brand && (theme.name || theme.logo_url)) {
    const parts: HTMLElement[] = [];
    if (theme.logo_url && /^(https:\/\/|data:image\/)/.test(theme.logo_url)) {
      parts.push(el("img", { src: theme.logo_url, alt: theme.name ? `${theme.name} logo` : "Logo" }));
    }
    if (theme.name) {
      parts.push(el("span", {}, theme.name));
    }
    brand.replaceChildren(...parts);
    brand.hidden = false;
  }
}

/** {@code notice}: what just succeeded (e.g. a reconnect), said above the list. */
async function home(notice?: string): Promise<void> {
  await load(async () => {
    const client = api!;
    const [sources, offered, status] = await Promise.all([client.sources(), client.templates(), client.status(workspaceId)]);
    templates = offered;
    known = sources;
    if (sources.length === 0) {
      picker(false);
      return;
    }
    const list = el("ul", { class: "sources", "aria-label": "Your sources" });
    const rows = new Map<Source, SourceRow>();
    // the list's outcomes (a reconnect, a sync started), present from the start
    const said = outcome();
    const report = (kind: "ok" | "failed", text: string) => said.show(kind, text);
    for (const source of sources) {
      const template = templates.find((t) => t.id === source.source_template_id);
      const provider = template?.name ?? source.name;
      const row = sourceRow(source, provider, report);
      rows.set(source, row);
      const item = el("li", { class: "source" },
        el("div", { class: "source-main" },
          icon(template?.icon, provider),
          el("div", {},
            el("p", { class: "source-name" }, source.name),
            row.status, row.next, row.details)),
        el("div", { class: "source-actions" },
          source.credentials_status === "invalid" ? reconnectButton(source, provider, report) : null,
          row.syncNow,
          button("Edit", () => template ? form(template, source) : message("This connector is no longer offered",
            "Ask the application's team about it.", button("Back", () => void home())), "secondary"),
          button("Delete", () => confirmDelete(source), "danger")));
      item.querySelectorAll("button").forEach((b) => b.setAttribute("aria-label", `${b.textContent} ${source.name}`));
      list.appendChild(item);
    }
    const show = (connections: ConnectionState[]) => rows.forEach((row) => row.show(connections));
    show(status.connections);
    screen("Your data sources", list, said.element, el("div", { class: "actions" },
      button("Connect a new source", () => picker(true), "primary"),
      button("Close", () => bridge.close())));
    if (notice) {
      // a polite region announces changes, not what it held when it appeared: the notice comes just after
      window.setTimeout(() => said.show("ok", notice), 100);
    }
    followSyncs(list, show);
  });
}

/** The sources the user has, as last loaded: a new source's default name is not one of theirs. */
let known: Source[] = [];

interface SourceRow {
  readonly status: HTMLElement;
  readonly next: HTMLElement;
  readonly details: HTMLElement;
  readonly syncNow: HTMLButtonElement;
  show(connections: ConnectionState[]): void;
}

/** A source's line in the list: how its last sync went in plain words, when the next runs, and "Sync now". */
function sourceRow(source: Source, provider: string, report: (kind: "ok" | "failed", text: string) => void): SourceRow {
  const status = el("p", {});
  const next = el("p", { class: "next" });
  const reason = el("p", { class: "reason" });
  const details = el("details", { class: "details", hidden: "" }, el("summary", {}, "Details"), reason);
  let mine: ConnectionState[] = [];
  const syncNow = button("Sync now", () => {
    if (syncNow.getAttribute("aria-disabled") === "true") {
      return;
    }
    void busy(syncNow, "Starting…", async () => {
      try {
        // a paused connection refuses (409); the others start whatever one of them answers
        const startable = mine.filter((c) => c.allow_end_user_sync && c.status === "active" && !c.running);
        const answers = await Promise.allSettled(startable.map((c) => api!.syncNow(c.connection_id)));
        const started = new Set(startable.filter((_, i) => answers[i].status === "fulfilled").map((c) => c.connection_id));
        mine = mine.map((c) => (started.has(c.connection_id) ? { ...c, running: true } : c));
        render();
        const refused = answers.find((a): a is PromiseRejectedResult => a.status === "rejected");
        if (started.size > 0) {
          report("ok", `${source.name} is syncing now.`);
        } else if (refused && !(refused.reason instanceof ApiError && refused.reason.status === 401)) {
          report("failed", explain(refused.reason));
        }
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 401)) {
          report("failed", explain(error));
        }
      }
    }).then(render);
  }, "secondary");
  const render = () => {
    const state = syncState(source, provider, mine);
    status.className = `status ${state.kind}`;
    status.textContent = state.text;
    reason.textContent = state.details ?? "";
    details.hidden = !state.details;
    const upcoming = mine.filter((c) => c.next_sync_at).map((c) => c.next_sync_at!).sort()[0];
    next.textContent = upcoming ? `Next sync ${when(upcoming)}` : "";
    next.hidden = !upcoming;
    const allowed = mine.some((c) => c.allow_end_user_sync && c.status === "active");
    syncNow.hidden = !allowed || source.credentials_status === "invalid";
    // not disabled: a disabled button would drop the keyboard user's focus
    syncNow.setAttribute("aria-disabled", String(mine.some((c) => c.running)));
  };
  return {
    status, next, details, syncNow,
    show: (connections) => {
      mine = connections.filter((c) => c.source_id === source.id);
      if (syncNow.getAttribute("aria-busy") !== "true") {
        render();
      }
    },
  };
}

/**
 * Sync statuses are refreshed in place (focus stays where the user is) until this list leaves the screen, while
 * the widget is shown: every call counts against the organization's rate limit, which all its end users share.
 */
function followSyncs(list: HTMLElement, show: (connections: ConnectionState[]) => void): void {
  const timer = window.setInterval(async () => {
    if (!list.isConnected) {
      window.clearInterval(timer);
      return;
    }
    if (waitingForToken || !bridge.shown) {
      return;
    }
    try {
      show((await api!.status(workspaceId)).connections);
    } catch {
      // the next tick tries again; an expired session has its own screen
    }
  }, 10_000);
}

/**
 * A source whose provider refused its tokens: a new consent in the popup, whose tokens then replace the old
 * ones in place (its connections resume where they stopped).
 */
function reconnectButton(source: Source, provider: string, report: (kind: "ok" | "failed", text: string) => void): HTMLButtonElement {
  const reconnect = button("Reconnect", () => {
    const popup = openConsentWindow();
    if (!popup) {
      report("failed", BLOCKED_MESSAGE);
      return;
    }
    void busy(reconnect, "Waiting for sign-in…", async () => {
      try {
        const outcome = await consentIn(popup, await api!.reconnectOAuth(source.id));
        if (outcome.kind === "refused") {
          report("failed", outcome.message);
        } else if (outcome.kind === "connected") {
          const saved = await api!.reconnect(source.id, outcome.secretId);
          bridge.emit("source_updated", { data: saved });
          await home(`${source.name} is reconnected to ${provider}.`);
        }
      } catch (error) {
        popup.close();
        if (!(error instanceof ApiError && error.status === 401)) {
          bridge.emit("source_update_error", { error: { status: error instanceof ApiError ? error.status : 0, detail: explain(error) } });
          report("failed", explain(error));
        }
      }
    });
  }, "primary");
  return reconnect;
}

/** What a failure means for the user, by its type; the connector's own words go behind "Details". */
const FAILURES: Record<string, string> = {
  config_error: "the settings were refused. Edit the source to check them",
  credentials_error: "the sign-in was refused. Reconnect the source",
  transient_error: "the source could not be reached",
  system_error: "something went wrong while reading your data",
};

function syncState(source: Source, provider: string, connections: ConnectionState[]): { kind: string; text: string; details?: string } {
  if (source.credentials_status === "invalid") {
    return { kind: "failed", text: `Reconnect needed: ${provider} no longer accepts access` };
  }
  if (connections.some((c) => c.running)) {
    return { kind: "running", text: "Syncing now…" };
  }
  const paused = connections.find((c) => c.status === "inactive");
  const last = connections.map((c) => c.last_sync).filter((l) => l !== null)
    .sort((a, b) => (b!.ended_at ?? "").localeCompare(a!.ended_at ?? ""))[0];
  if (!last) {
    return paused ? { kind: "idle", text: "Paused" } : { kind: "idle", text: "Not synced yet" };
  }
  switch (last.status) {
    case "succeeded":
      return { kind: "ok", text: `Last synced ${when(last.ended_at)}` };
    case "failed":
      return { kind: "failed", text: `Last sync failed: ${FAILURES[last.failure_type ?? ""] ?? FAILURES.system_error}.`,
        details: last.failure_reason ?? undefined };
    default:
      return { kind: "idle", text: "Last sync was cancelled" };
  }
}

function when(iso: string | null | undefined): string {
  if (!iso) {
    return "recently";
  }
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function icon(url: string | null | undefined, name: string): HTMLElement {
  if (url && /^(https:|data:image\/)/.test(url)) {
    return el("img", { class: "icon", src: url, alt: "" });
  }
  return el("span", { class: "icon letter", "aria-hidden": "true" }, name.trim().charAt(0).toUpperCase() || "?");
}

function picker(canGoBack: boolean): void {
  resume = () => picker(canGoBack);
  const search = el("input", { type: "search", id: "search", placeholder: "Search", autocomplete: "off" }) as HTMLInputElement;
  const list = el("ul", { class: "templates", "aria-label": "Connectors" });
  const empty = el("p", { class: "lead", role: "status", hidden: "" }, "No connector matches your search.");
  const render = () => {
    const query = search.value.trim().toLowerCase();
    const shown = templates.filter((t) => `${t.name} ${t.connector_name ?? ""}`.toLowerCase().includes(query));
    list.replaceChildren(...shown.map((t) => {
      const choose = el("button", { type: "button", class: "template" }, icon(t.icon, t.name),
        el("span", {}, t.name)) as HTMLButtonElement;
      choose.addEventListener("click", () => form(t, null));
      return el("li", {}, choose);
    }));
    empty.hidden = shown.length > 0;
  };
  search.addEventListener("input", render);
  render();
  if (templates.length === 0) {
    message("No connectors available", "The application has not made any data source available to you yet.",
      button("Close", () => bridge.close()));
    return;
  }
  screen("Connect a data source",
    el("div", { class: "field" }, el("label", { for: "search" }, "Search connectors"), search),
    list, empty,
    el("div", { class: "actions" }, canGoBack ? button("Back", () => void home()) : button("Close", () => bridge.close())));
}

function form(template: SourceTemplate, source: Source | null): void {
  resume = () => form(template, source);
  const schema = template.user_config_spec?.connectionSpecification ?? { type: "object", properties: {} };
  const generated = new SchemaForm(schema, source?.source_config);
  const name = nameField(source?.name ?? uniqueName(template.name));
  const summary = errorSummary();
  const said = outcome();
  const show = said.show;
  /** Checks every field; when some are wrong, lists them at the top and focuses the first (page order). */
  const valid = (): boolean => {
    const fields = generated.validate();
    const unnamed = name.validate();
    if (unnamed) {
      name.input.focus(); // it comes first on the page
    }
    const problems = unnamed ? [unnamed, ...fields] : fields;
    summary.list(problems);
    return problems.length === 0;
  };
  // a new source of an OAuth connector gets its credentials from a consent; a saved one reconnects from the list
  const consent = offersOAuth(template.user_config_spec) && source === null ? consentControl(template, show) : null;
  /** The consent's tokens are needed before anything can reach the provider: false (and said) when missing. */
  const connected = (): boolean => {
    if (consent === null || consent.secretId() !== null) {
      return true;
    }
    show("failed", `Connect with ${template.name} first.`);
    consent.button.focus();
    return false;
  };
  /**
   * Whether a test or a save may go: the consent first (the fields are checked once it is given), so that one
   * message at a time says what to do.
   */
  const ready = (): boolean => {
    said.clear();
    summary.list([]);
    return connected() && valid();
  };
  const test = button("Test connection", () => {
    if (!ready()) {
      return;
    }
    void busy(test, "Testing…", async () => {
      try {
        const result = await api!.check(template.id, generated.value(), consent?.secretId() ?? undefined, source?.id);
        if (result.status === "succeeded") {
          show("ok", "Connection succeeded.");
        } else {
          show("failed", `Connection failed: ${result.message ?? "the source refused the connection"}`);
        }
      } catch (error) {
        fail(error);
      }
    });
  });
  const fail = (error: unknown) => {
    if (error instanceof ApiError && error.status === 401) {
      return;
    }
    if (consent && error instanceof ApiError && error.concerns("secret_id")) {
      consent.forget();
      show("failed", `The connection to ${template.name} expired or was already used. Connect with ${template.name} again.`);
      consent.button.focus();
      return;
    }
    const problems = error instanceof ApiError ? generated.showErrors(error.fieldErrors()) : [];
    if (problems.length > 0) {
      summary.list(problems); // it says what needs attention: no second message at the bottom
      return;
    }
    show("failed", explain(error));
  };
  const save = button(source ? "Save changes" : "Save and connect", () => {
    if (!ready()) {
      return;
    }
    void busy(save, "Saving…", async () => {
      const event = source ? "source_updated" : "source_created";
      try {
        const saved = source
          ? await api!.update(source.id, name.value(), generated.value())
          : await api!.create(template.id, name.value(), generated.value(), consent?.secretId() ?? undefined);
        bridge.emit(event, { data: saved });
        done(saved, source === null);
      } catch (error) {
        bridge.emit(`${source ? "source_update" : "source_create"}_error`, {
          error: { status: error instanceof ApiError ? error.status : 0, detail: explain(error) } });
        fail(error);
      }
    });
  }, "primary");
  const back = () => source ? void home() : picker(true);
  const body = el("form", { class: "config", novalidate: "" },
    summary.element, name.element, consent?.element ?? null, generated.element, said.element,
    el("div", { class: "actions" }, button("Back", () => leave(back)), test, save));
  body.addEventListener("submit", (e) => {
    e.preventDefault();
    save.click();
  });
  screen(source ? `Edit ${source.name}` : `Connect ${template.name}`, el("div", { class: "template-head" }, icon(template.icon, template.name),
    el("p", { class: "lead" }, source ? "Change the settings, test them, then save."
      : consent ? `Connect your ${template.name} account, fill in the details, then save.`
        : "Fill in the details, test the connection, then save.")), body);
  // what the user changed, compared by value: typing something and deleting it again leaves the form clean
  const snapshot = () => JSON.stringify([name.input.value, generated.value(), consent?.secretId() ?? null]);
  const untouched = snapshot();
  unsaved = () => body.isConnected && snapshot() !== untouched;
}

/** The template's name, numbered when the user already has a source of that name ("PostgreSQL 2"). */
function uniqueName(base: string): string {
  const taken = new Set(known.map((s) => s.name));
  let name = base;
  for (let n = 2; taken.has(name); n++) {
    name = `${base} ${n}`;
  }
  return name;
}

interface NameField {
  readonly element: HTMLElement;
  readonly input: HTMLInputElement;
  value(): string;
  /** Shows whether the name is missing; returns the problem, for the summary. */
  validate(): FieldProblem | null;
}

/** The source's name: required, marked so, and its message goes as soon as a name is typed. */
function nameField(initial: string): NameField {
  const label = "Name";
  const input = el("input", { type: "text", id: "source-name", autocomplete: "off", "aria-required": "true",
    "aria-describedby": "source-name-error" }) as HTMLInputElement;
  input.value = initial;
  const error = el("p", { class: "error", id: "source-name-error", hidden: "" });
  const set = (message: string | null) => {
    error.textContent = message ?? "";
    error.hidden = message === null;
    if (message) {
      input.setAttribute("aria-invalid", "true");
    } else {
      input.removeAttribute("aria-invalid");
    }
  };
  const problem = () => (input.value.trim() ? null : "Give this source a name");
  input.addEventListener("input", () => {
    if (input.getAttribute("aria-invalid") === "true") {
      set(problem());
    }
  });
  return {
    element: el("div", { class: "field" },
      el("label", { for: input.id }, label, el("span", { class: "required", "aria-hidden": "true" }, " *")), input, error),
    input,
    value: () => input.value.trim(),
    validate: () => {
      const message = problem();
      set(message);
      return message ? { id: input.id, label, message } : null;
    },
  };
}

interface ErrorSummary {
  readonly element: HTMLElement;
  /** Lists the problems, or hides the summary when there are none. */
  list(problems: FieldProblem[]): void;
}

/**
 * The fields a refused save or test needs fixed, at the top of the form: on a long form or a small screen the
 * messages next to the fields can be out of sight. Each entry is a link that takes the focus to its field. It
 * stays as it is until the next save or test, so that it never moves the form while the user fixes fields.
 */
function errorSummary(): ErrorSummary {
  const title = el("h2", { id: "error-summary-title" });
  const items = el("ul", {});
  const element = el("div", { class: "error-summary", role: "alert", "aria-labelledby": title.id, hidden: "" }, title, items);
  return {
    element,
    list: (problems) => {
      element.hidden = problems.length === 0;
      title.textContent = problems.length === 1 ? "1 field needs your attention" : `${problems.length} fields need your attention`;
      items.replaceChildren(...problems.map((problem) => {
        const link = el("a", { href: `#${problem.id}` }, `${problem.label}: ${problem.message}`);
        link.addEventListener("click", (event) => {
          event.preventDefault(); // the iframe's address stays as it is
          document.getElementById(problem.id)?.focus();
        });
        return el("li", {}, link);
      }));
    },
  };
}

/** Goes on with {@code next} at once, or, when the form on the screen holds unsaved edits, once the user agrees to lose them. */
function leave(next: () => void): void {
  if (!unsaved()) {
    next();
    return;
  }
  void ask("Discard your changes?", "What you entered in this form has not been saved and will be lost.", "Discard", "Keep editing")
    .then((agreed) => {
      if (agreed) {
        next();
      }
    });
}

/**
 * The user asked to close the widget (Escape, the dialog's ×). Edits the user agreed to discard are gone: the
 * widget opens on the user's sources next time, not on the form.
 */
function requestClose(): void {
  if (asking()) {
    return; // the question already on screen gets the answer
  }
  const dirty = unsaved();
  leave(() => {
    bridge.close();
    if (dirty) {
      void home();
    }
  });
}

interface ConsentControl {
  readonly element: HTMLElement;
  readonly button: HTMLButtonElement;
  /** The consent's single-use secret_id once the user connected; it lives here only, never in the page. */
  secretId(): string | null;
  /** The server no longer accepts the secret_id (expired, used): the user connects again. */
  forget(): void;
}

/** "Connect with X": the provider's consent in a popup, whose outcome the form's status region reports. */
function consentControl(template: SourceTemplate, show: (kind: "ok" | "failed" | "info", text: string) => void): ConsentControl {
  let secretId: string | null = null;
  const badge = el("span", { class: "connected", hidden: "" }, "Connected ✓");
  const help = el("p", { class: "help", id: "consent-help" }, `Sign in to ${template.name} in a new window to give access.`);
  const render = () => {
    connect.textContent = secretId ? "Connect again" : `Connect with ${template.name}`;
    connect.className = `button ${secretId ? "secondary" : "primary"}`;
    badge.hidden = secretId === null;
  };
  const connect = button(`Connect with ${template.name}`, () => {
    const popup = openConsentWindow();
    if (!popup) {
      show("failed", BLOCKED_MESSAGE);
      return;
    }
    void busy(connect, "Waiting for sign-in…", async () => {
      try {
        const outcome = await consentIn(popup, await api!.initiateOAuth(template.id));
        if (outcome.kind === "connected") {
          secretId = outcome.secretId;
          show("ok", `Connected to ${template.name}. Save to finish.`);
        } else if (outcome.kind === "refused") {
          show("failed", outcome.message);
        }
      } catch (error) {
        popup.close();
        if (!(error instanceof ApiError && error.status === 401)) {
          show("failed", explain(error));
        }
      }
    }).then(render); // after busy() has put its own label back
  }, "primary");
  connect.setAttribute("aria-describedby", help.id);
  return {
    element: el("div", { class: "field consent" }, el("div", { class: "consent-row" }, connect, badge), help),
    button: connect,
    secretId: () => secretId,
    forget: () => {
      secretId = null;
      render();
    },
  };
}

/** After a save: what happens next, then the first sync as it runs (until the user leaves this screen). */
function done(source: Source, created: boolean): void {
  resume = () => void home();
  const next = el("p", { class: "status running", role: "status" });
  screen(created ? "Connected" : "Saved",
    el("p", { class: "lead" }, created ? `${source.name} is connected.` : `${source.name} was updated.`),
    next,
    el("div", { class: "actions" },
      button("Done", () => bridge.close(), "primary"),
      button("View your sources", () => void home())));
  const follow = async () => {
    if (!next.isConnected || waitingForToken || !bridge.shown) {
      return next.isConnected;
    }
    try {
      const mine = (await api!.status(workspaceId)).connections.filter((c) => c.source_id === source.id);
      next.textContent = firstSync(source, mine, created);
    } catch {
      // said on the next try; an expired session has its own screen
    }
    return true;
  };
  void follow();
  const timer = window.setInterval(() => void follow().then((on) => on || window.clearInterval(timer)), 3000);
}

/** When the data arrives, in words: running now, at the next scheduled time, or when the application starts it. */
function firstSync(source: Source, connections: ConnectionState[], created: boolean): string {
  const state = syncState(source, source.name, connections);
  if (state.kind === "running") {
    return created ? "Your first sync is running now…" : "A sync is running now…";
  }
  const upcoming = connections.filter((c) => c.next_sync_at).map((c) => c.next_sync_at!).sort()[0];
  const later = upcoming ? ` Next sync ${when(upcoming)}.` : "";
  if (state.kind === "ok" || state.kind === "failed") {
    return `${state.text}${state.text.endsWith(".") ? "" : "."}${later}`;
  }
  if (upcoming) {
    return `Your data starts syncing ${when(upcoming)}.`;
  }
  return connections.length === 0 ? "Your data syncs once the application sets it up." : "Your data syncs when the application starts it.";
}

function confirmDelete(source: Source): void {
  resume = () => confirmDelete(source);
  const remove = button("Delete", () => {
    void busy(remove, "Deleting…", async () => {
      try {
        await api!.remove(source.id);
        bridge.emit("source_deleted", { data: { id: source.id } });
        await home();
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 401)) {
          message("The source was not deleted", explain(error), button("Back", () => void home()));
        }
      }
    });
  }, "danger");
  message(`Delete ${source.name}?`, "Its data stops syncing and its connections are removed. Data already delivered stays where it is.",
    button("Cancel", () => void home()), remove);
}

function start(): void {
  if (!bridge.embedded || !allowedOrigin) {
    message("Open this from your application", "This page works inside the application that offers it.");
    return;
  }
  bridge.onToken(tokenArrived);
  bridge.onCloseRequest(requestClose); // the dialog's × and Escape while focus is outside the iframe
  bridge.requestToken();
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !event.defaultPrevented && !(event.target instanceof HTMLSelectElement) && !asking()) {
      // handled here (the dialog around the iframe cannot see this key): left to the browser, the same key
      // press would go on to close the question it may open
      event.preventDefault();
      requestClose();
    }
  });
  window.setTimeout(() => {
    if (api === null && !refused) {
      message("Waiting for access…", "The page that opened this has not provided access yet. Close this window and try again.",
        button("Close", () => bridge.close()));
    }
  }, 8000);
}

start();
