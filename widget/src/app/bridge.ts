/**
 * The iframe side of the widget protocol: asks the embedding page for a scoped token ("auth_token_request"),
 * accepts `{ scopedAuthToken }`, "close_request" (the dialog's × was pressed: the app closes at once, or asks
 * first when the user has unsaved edits) and "opened" (the dialog is shown again) only from the page at the
 * allowed origin, and reports events and "CLOSE_DIALOG" to that origin only.
 */
export class Bridge {
  private readonly allowedOrigin: string;
  /** False from the app's "CLOSE_DIALOG" until it is seen to be shown again. */
  private open = true;

  constructor(allowedOrigin: string) {
    // compared with event.origin, which browsers send lower-cased and without a default port
    try {
      this.allowedOrigin = new URL(allowedOrigin).origin;
    } catch {
      this.allowedOrigin = allowedOrigin;
    }
    // shown again: Tributary's widget.js says so; with a library that only reopens its dialog, the user's first
    // touch or the iframe coming back on screen does
    this.fromPage((data) => {
      if (data === "opened") {
        this.open = true;
      }
    });
    // not "focus": the app moves focus itself, also while the dialog is closed
    for (const event of ["pointerdown", "keydown"]) {
      window.addEventListener(event, () => (this.open = true), true);
    }
    if (typeof IntersectionObserver === "function") {
      new IntersectionObserver((entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          this.open = true;
        }
      }).observe(document.documentElement);
    }
  }

  /**
   * Whether anyone sees the app: not closed since it was last shown, and its page's tab in front. Polls skip their
   * turn otherwise, since every call counts against the organization's rate limit.
   */
  get shown(): boolean {
    return this.open && !document.hidden;
  }

  get origin(): string {
    return this.allowedOrigin;
  }

  get embedded(): boolean {
    return window.parent !== window;
  }

  requestToken(): void {
    if (this.embedded) {
      window.parent.postMessage("auth_token_request", this.allowedOrigin);
    }
  }

  close(): void {
    if (this.embedded) {
      this.open = false;
      window.parent.postMessage("CLOSE_DIALOG", this.allowedOrigin);
    }
  }

  emit(message: string, payload: { data?: unknown; error?: unknown }): void {
    if (this.embedded) {
      window.parent.postMessage({ type: "end_user_action_result", message, ...payload }, this.allowedOrigin);
    }
  }

  /** An event for the page's onEvent that is not the result of an end user's action, e.g. {type: "session_expired"}. */
  notify(type: string): void {
    if (this.embedded) {
      window.parent.postMessage({ type }, this.allowedOrigin);
    }
  }

  onToken(receive: (token: string) => void): void {
    this.fromPage((data) => {
      const token = (data as { scopedAuthToken?: unknown } | null)?.scopedAuthToken;
      if (typeof token === "string" && token.length > 0) {
        receive(token);
      }
    });
  }

  /** The page's dialog would like to close; the app answers with close() when it may. */
  onCloseRequest(handle: () => void): void {
    this.fromPage((data) => {
      if (data === "close_request") {
        handle();
      }
    });
  }

  /** Messages from the embedding page at the allowed origin; anything else is ignored. */
  private fromPage(receive: (data: unknown) => void): void {
    window.addEventListener("message", (event: MessageEvent) => {
      if (event.source === window.parent && event.origin === this.allowedOrigin) {
        receive(event.data);
      }
    });
  }
}

/** The claims the app reads from the scoped token; the server verifies it, this only guides the screen. */
export interface TokenClaims {
  allowed_origin?: string;
  organization_id?: string;
}

export function claims(token: string): TokenClaims {
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const json = decodeURIComponent(
      Array.from(atob(payload.padEnd(payload.length + ((4 - (payload.length % 4)) % 4), "=")))
        .map((c) => "%" + c.charCodeAt(0).toString(16).padStart(2, "0"))
        .join(""),
    );
    return JSON.parse(json) as TokenClaims;
  } catch {
    return {};
  }
}
