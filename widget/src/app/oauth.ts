/**
 * Connecting an account by OAuth in a popup: the provider's consent page opens in a small window, which comes
 * back to Tributary's callback page; that page posts the outcome (a single-use secret_id, or an error) to the
 * window that opened it, with Tributary's origin as the only allowed receiver.
 */

export type ConsentOutcome =
  | { kind: "connected"; secretId: string }
  | { kind: "refused"; message: string }
  | { kind: "closed" };

/** One window for every consent: connecting again while it is open reuses it instead of stacking windows. */
const WINDOW_NAME = "tributary-oauth";

/** How often a popup is checked for having been closed by the user (no event tells the opener). */
const CLOSED_POLL_MS = 400;

/**
 * Opens the consent window. Call it straight from the click handler, before anything is awaited: browsers let
 * a page open a window only while it handles the user's click. Null when the browser blocked it.
 */
export function openConsentWindow(): Window | null {
  const popup = window.open("", WINDOW_NAME, "popup,width=600,height=720");
  if (popup) {
    try {
      popup.document.title = "Connecting…";
      popup.document.body.textContent = "Opening the sign-in page…";
    } catch {
      // a window reused by name may already show another origin's page; it is navigated away from anyway
    }
  }
  return popup;
}

/**
 * Sends the popup to {@code consentUrl} and resolves with what its callback page reports, or "closed" when the
 * user closes the window first. Messages count only from that window, at Tributary's origin, in the callback's
 * shape: any other page could post a made-up secret_id.
 */
export function consentIn(popup: Window, consentUrl: string): Promise<ConsentOutcome> {
  return new Promise((resolve) => {
    const finish = (outcome: ConsentOutcome) => {
      window.removeEventListener("message", receive);
      window.clearInterval(watch);
      resolve(outcome);
    };
    const receive = (event: MessageEvent) => {
      if (event.origin !== window.location.origin || event.source !== popup) {
        return;
      }
      const data = event.data as { type?: unknown; secret_id?: unknown; error?: unknown; message?: unknown } | null;
      if (data?.type !== "tributary:oauth") {
        return;
      }
      if (typeof data.secret_id === "string" && data.secret_id.length > 0) {
        finish({ kind: "connected", secretId: data.secret_id });
        return;
      }
      // the callback page stays open on a failure, for a user without the widget; here the widget says it
      popup.close();
      finish({ kind: "refused", message: typeof data.message === "string" && data.message ? data.message : "Access was not granted." });
    };
    const watch = window.setInterval(() => {
      if (popup.closed) {
        finish({ kind: "closed" });
      }
    }, CLOSED_POLL_MS);
    window.addEventListener("message", receive);
    popup.location.href = consentUrl;
  });
}

export function offersOAuth(spec: { advanced_auth?: { auth_flow_type?: string } | null } | null | undefined): boolean {
  return spec?.advanced_auth?.auth_flow_type?.startsWith("oauth2") ?? false;
}

export const BLOCKED_MESSAGE = "Your browser blocked the sign-in window. Allow pop-ups for this page, then try again.";
