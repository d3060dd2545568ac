package io.tributary.organization;

import io.tributary.settings.TributaryProperties;
import java.util.Optional;

/** The text a newcomer sees when the server is up. */
final class NextSteps {

  private NextSteps() {}

  static String render(
      TributaryProperties properties, Optional<OrganizationService.NewApplication> created) {
    String url = properties.publicBaseUrl().toString();
    StringBuilder out = new StringBuilder();
    out.append("\n  Tributary is ready at ").append(url).append("\n");
    out.append("  API docs:  ").append(url).append("/api/v1/docs\n");
    if (properties.demoEnabled()) {
      out.append("  Demo:      ")
          .append(url)
          .append("/demo  (a local look at the widget; TRIBUTARY_DEMO=false turns it off)\n");
    }
    out.append("\n");
    if (created.isPresent()) {
      var app = created.get();
      out.append("  First start: created organization ")
          .append(app.application().organizationId())
          .append(" and an application.\n");
      out.append("  Its client_id, and how to reach its secret (only a hash is stored):\n\n");
      out.append("    export TRIBUTARY_CLIENT_ID='")
          .append(app.application().clientId())
          .append("'\n");
      if (hasText(properties.bootstrapClientSecret())) {
        // the operator chose it: nothing to tell, and repeating it would put it in the logs
        out.append("    export TRIBUTARY_CLIENT_SECRET=\"$TRIBUTARY_BOOTSTRAP_CLIENT_SECRET\"\n\n");
      } else if (properties.loopbackOnly()) {
        out.append("    export TRIBUTARY_CLIENT_SECRET='")
            .append(app.clientSecret())
            .append("'   # shown this once\n\n");
      } else {
        // a server reachable from elsewhere runs as a service, whose output is kept in logs
        out.append(
            "  Its generated secret is not printed: this server listens beyond this machine, and\n"
                + "  its output ends up in logs. Set TRIBUTARY_BOOTSTRAP_CLIENT_SECRET before the first\n"
                + "  start, or create credentials where the server runs:\n\n"
                + "    eval \"$(tributary admin application create --name ops --env)\"\n\n");
      }
    } else {
      out.append(
          "  Credentials were printed at the first start. For new ones, in another terminal:\n\n");
      out.append(
          "    eval \"$(./tributary admin application create --name quickstart --env)\"\n\n");
    }
    out.append("  Then get an operator token and mint a scoped token for an end user:\n\n");
    out.append("    TOKEN=$(curl -s ")
        .append(url)
        .append("/api/v1/account/applications/token \\\n");
    out.append("      -H 'Content-Type: application/json' \\\n");
    out.append(
        "      -d \"{\\\"client_id\\\":\\\"$TRIBUTARY_CLIENT_ID\\\",\\\"client_secret\\\":\\\"$TRIBUTARY_CLIENT_SECRET\\\"}\" \\\n");
    out.append("      | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')\n");
    out.append("    curl -s ").append(url).append("/api/v1/embedded/scoped-token \\\n");
    out.append(
        "      -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\\n");
    out.append("      -d '{\"workspace_name\": \"customer-42\"}'\n");
    return out.toString();
  }

  private static boolean hasText(String value) {
    return value != null && !value.isBlank();
  }
}
