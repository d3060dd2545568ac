package io.tributary.demo;

/**
 * The demo operator page: what an operator's product adds to let its customers connect their data.
 */
final class DemoPage {

  private DemoPage() {}

  static final String HTML =
      """
      <!doctype html>
      <html lang="en">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Acme Analytics — Tributary demo</title>
        <script src="/widget/v1/widget.js"></script>
        <script src="/demo/demo.js" defer></script>
        <style>
          body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: #1f2430; background: #f4f6fa; }
          header { background: #1f2430; color: #fff; padding: 14px 24px; font-weight: 700; }
          main { max-width: 720px; margin: 40px auto; padding: 0 20px; }
          button { font: inherit; font-weight: 600; background: #3b5bdb; color: #fff; border: 0; border-radius: 8px;
            padding: 12px 20px; cursor: pointer; }
          pre { background: #fff; border: 1px solid #d4d8e1; border-radius: 8px; padding: 12px; overflow: auto;
            font-size: 13px; min-height: 40px; }
          code { background: #fff; padding: 1px 4px; border-radius: 4px; }
        </style>
      </head>
      <body>
        <header>Acme Analytics <small>(a demo operator's product)</small></header>
        <main>
          <h1>Bring your data into Acme</h1>
          <p>This page plays an operator's product. The button opens Tributary's widget for you as an end user
             (each browser gets its own workspace), the way your product would with a few lines of JavaScript.</p>
          <button id="connect" type="button">Connect your data</button>
          <h2 id="events-title">Events the page received</h2>
          <pre id="events" tabindex="0" role="region" aria-labelledby="events-title" aria-live="polite">None yet.</pre>
          <h2>Your connections</h2>
          <p>What the operator's backend sees with <code>GET /api/v1/workspaces/{id}/status</code>, every few
             seconds.</p>
          <div id="connections">Connect a source to see it here.</div>
          <h2 id="recorded-title">Events Tributary recorded</h2>
          <p>What a webhook (<code>POST /api/v1/webhooks</code>) receives, signed, for this workspace.</p>
          <pre id="recorded" tabindex="0" role="region" aria-labelledby="recorded-title">None yet.</pre>
          <p>Turn this page off with <code>TRIBUTARY_DEMO=false</code>; it is off whenever Tributary runs on an
             external database unless turned on, and always when the server listens on an address other machines
             reach. It shows only the templates tagged <code>tributary-demo</code>.</p>
        </main>
      </body>
      </html>
      """;

  static final String SCRIPT =
      """
      let widget = null;
      let following = null;
      const log = [];
      // each browser is its own demo end user, with its own workspace
      function visitorId() {
        let visitor = localStorage.getItem("tributary-demo-visitor");
        if (!visitor) { visitor = crypto.randomUUID(); localStorage.setItem("tributary-demo-visitor", visitor); }
        return visitor;
      }
      function describe(connection, sources) {
        const source = sources.find((s) => s.source_id === connection.source_id);
        const last = connection.last_sync
          ? "last sync " + connection.last_sync.status
            + (connection.last_sync.records_committed != null ? ", " + connection.last_sync.records_committed + " records" : "")
          : "not synced yet";
        return (source ? source.name : connection.source_id) + ": " + connection.status + ", " + last
          + (connection.running ? ", syncing now" : "")
          + (connection.next_sync_at ? ", next run " + new Date(connection.next_sync_at).toLocaleString() : "")
          + (connection.paused_reason ? " (paused: " + connection.paused_reason + ")" : "")
          + (source && source.credentials_status !== "ok" ? " (credentials: " + source.credentials_status + ")" : "");
      }
      // the operator's side: the status call and the events a webhook would receive
      async function follow() {
        const answer = await (await fetch("/demo/activity", { method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ visitor: visitorId() }) })).json();
        if (!answer.status) { return; }
        const rows = answer.status.connections.map((c) => {
          const row = document.createElement("p");
          row.textContent = describe(c, answer.status.sources);
          return row;
        });
        if (rows.length) { document.getElementById("connections").replaceChildren(...rows); }
        if (answer.events.length) {
          document.getElementById("recorded").textContent = answer.events
            .map((e) => e.timestamp + "  " + e.type + "  " + JSON.stringify(e.data)).join("\\n");
        }
      }
      document.getElementById("connect").addEventListener("click", async () => {
        // your backend mints this with POST /api/v1/embedded/widget-token and its operator token
        const visitor = visitorId();
        const token = await (await fetch("/demo/widget-token", { method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ visitor }) })).text();
        if (widget) { widget.updateToken(token); } else {
          widget = new TributaryWidget({ token, onEvent: (event) => {
            log.unshift(JSON.stringify(event, null, 2));
            document.getElementById("events").textContent = log.join("\\n\\n");
          } });
        }
        widget.open();
        if (!following) { following = setInterval(() => follow().catch(() => {}), 2000); }
      });
      """;
}
