/**
 * The embed script an operator's page loads from /widget/v1/widget.js. Same public API as the documented
 * Airbyte Embedded widget library: `new TributaryWidget({ token, onEvent }).open()`, `updateToken(token)`,
 * `destroy()`; also exposed as `AirbyteEmbeddedWidget`. It holds the end-user app in an iframe inside a modal
 * <dialog>, hands the scoped token to it by postMessage (never in a URL), and forwards its events. Its × and
 * Escape ask the app first ("close_request"), which answers "CLOSE_DIALOG" at once or once the user agreed to
 * discard unsaved edits.
 */

export interface WidgetEvent {
  type: string;
  message?: string;
  data?: unknown;
  error?: unknown;
}

export interface EmbeddedWidgetConfig {
  token: string;
  onEvent?: (event: WidgetEvent) => void;
}

interface DecodedToken {
  token: string;
  widgetUrl: string;
}

const STYLE_ID = "tributary-widget-style";
const STYLE = `
.tributary-widget-dialog { position: fixed; padding: 0; border: none; border-radius: 10px; width: min(500px, 100vw);
  height: min(762px, 100dvh); max-width: 100vw; max-height: 100dvh; overflow: hidden; background: #fff;
  box-shadow: 0 12px 48px rgba(15, 23, 42, .35); }
/* the × has a bar of its own above the app: floating over it, it covered whatever the app scrolled under it */
.tributary-widget-dialog[open] { display: flex; flex-direction: column; }
.tributary-widget-dialog::backdrop { background: rgba(15, 23, 42, .55); }
.tributary-widget-dialog iframe { display: block; flex: 1; min-height: 0; width: 100%; border: 0;
  border-top: 1px solid #d4d8e1; background: #fff; }
.tributary-widget-close { flex: none; align-self: flex-end; margin: 4px 6px; width: 32px; height: 32px; border: 0;
  border-radius: 16px; background: transparent; color: #1f2430; font: 22px/1 system-ui, sans-serif; cursor: pointer; }
.tributary-widget-close:hover { background: #f4f6fa; }
.tributary-widget-close:focus-visible { outline: 3px solid #1f2430; outline-offset: 1px; }
@media (max-width: 520px) { .tributary-widget-dialog { border-radius: 0; width: 100vw; height: 100dvh; } }
`;

function decode(token: string): DecodedToken {
  let decoded: unknown;
  try {
    decoded = JSON.parse(atob(token.trim()));
  } catch {
    throw new Error("The widget token is not valid: it should be the base64 token returned by /api/v1/embedded/widget-token");
  }
  const value = decoded as Partial<DecodedToken>;
  if (typeof value?.token !== "string" || typeof value?.widgetUrl !== "string") {
    throw new Error("The widget token is not valid: it has no token or widgetUrl");
  }
  return { token: value.token, widgetUrl: value.widgetUrl };
}

export class TributaryWidget {
  private decoded: DecodedToken;
  private readonly onEvent?: (event: WidgetEvent) => void;
  private readonly dialog: HTMLDialogElement;
  private readonly iframe: HTMLIFrameElement;
  private readonly listener = (event: MessageEvent) => this.receive(event);
  /** The app has spoken (asked for its token), so it answers a close request; one that never loaded cannot. */
  private appListening = false;

  constructor(config: EmbeddedWidgetConfig) {
    if (!config || !config.token) {
      throw new Error("Token is required to initialize TributaryWidget");
    }
    this.decoded = decode(config.token);
    this.onEvent = config.onEvent;
    if (!document.getElementById(STYLE_ID)) {
      const style = document.createElement("style");
      style.id = STYLE_ID;
      style.textContent = STYLE;
      document.head.appendChild(style);
    }
    this.dialog = document.createElement("dialog");
    this.dialog.className = "tributary-widget-dialog";
    this.dialog.setAttribute("aria-label", "Connect your data");
    this.iframe = document.createElement("iframe");
    this.iframe.src = this.decoded.widgetUrl;
    this.iframe.title = "Connect your data";
    this.iframe.allow = "fullscreen";
    // closes the dialog even when the app inside cannot load; named apart from the app's own "Close" button,
    // and first in the dialog as it is first on screen
    const close = document.createElement("button");
    close.type = "button";
    close.className = "tributary-widget-close";
    close.setAttribute("aria-label", "Close window");
    close.title = "Close window";
    close.textContent = "×";
    close.addEventListener("click", () => this.requestClose());
    // Escape while the focus is on the ×: the app decides, as for the × (Escape inside the app is the app's)
    this.dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      this.requestClose();
    });
    this.dialog.append(close, this.iframe);
    document.body.appendChild(this.dialog);
    window.addEventListener("message", this.listener);
  }

  open(): void {
    if (!this.dialog.open) {
      this.dialog.showModal();
      // the app stops following syncs while closed, and starts again on this
      this.iframe.contentWindow?.postMessage("opened", this.widgetOrigin);
    }
    this.iframe.focus();
  }

  /** A fresh token (e.g. after the previous one expired), handed to the app at once. */
  updateToken(token: string): void {
    const previous = this.decoded.widgetUrl;
    this.decoded = decode(token);
    if (this.decoded.widgetUrl !== previous) {
      this.appListening = false;
      this.iframe.src = this.decoded.widgetUrl; // another workspace or server: the app starts over and asks again
    } else {
      this.sendToken();
    }
  }

  destroy(): void {
    window.removeEventListener("message", this.listener);
    if (this.dialog.open) {
      this.dialog.close();
    }
    this.dialog.remove();
  }

  private get widgetOrigin(): string {
    return new URL(this.decoded.widgetUrl, window.location.href).origin;
  }

  /**
   * Only the app knows whether the user has unsaved edits: it is asked, and the focus goes into it for its
   * question. An app that never loaded is not waited for.
   */
  private requestClose(): void {
    if (!this.appListening) {
      this.dialog.close();
      return;
    }
    this.iframe.focus();
    this.iframe.contentWindow?.postMessage("close_request", this.widgetOrigin);
  }

  private sendToken(): void {
    this.iframe.contentWindow?.postMessage({ scopedAuthToken: this.decoded.token }, this.widgetOrigin);
  }

  private receive(event: MessageEvent): void {
    // only our iframe, from the widget's origin, is listened to
    if (event.source !== this.iframe.contentWindow || event.origin !== this.widgetOrigin) {
      return;
    }
    if (event.data === "auth_token_request") {
      this.appListening = true;
      this.sendToken();
    } else if (event.data === "CLOSE_DIALOG") {
      this.dialog.close();
    } else if (event.data && typeof event.data === "object" && typeof event.data.type === "string") {
      this.onEvent?.(event.data as WidgetEvent);
    }
  }
}

declare global {
  interface Window {
    TributaryWidget: typeof TributaryWidget;
    AirbyteEmbeddedWidget: typeof TributaryWidget;
  }
}

window.TributaryWidget = TributaryWidget;
window.AirbyteEmbeddedWidget = TributaryWidget;
