/** The few API calls the widget makes with the end user's scoped token. */

export interface ConnectorSpec {
  connectionSpecification: Schema;
  /** Present when the connector's credentials come from a consent at the provider (e.g. "oauth2.0"). */
  advanced_auth?: { auth_flow_type?: string } | null;
}

export interface Schema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  oneOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  items?: Schema;
  order?: number;
  group?: string;
  groups?: { id: string; title?: string }[];
  /** Where the end user finds the value (markdown: links, bold, code), from the operator or Tributary. */
  help?: string;
  airbyte_secret?: boolean;
  airbyte_hidden?: boolean;
  always_show?: boolean;
  multiline?: boolean;
  pattern?: string;
  pattern_descriptor?: string;
  minimum?: number;
  maximum?: number;
  examples?: unknown[];
  format?: string;
}

export interface SourceTemplate {
  id: string;
  name: string;
  icon?: string | null;
  connector_name?: string;
  user_config_spec: ConnectorSpec;
}

export interface Source {
  id: string;
  name: string;
  source_template_id: string;
  source_config: Record<string, unknown>;
  connection_ids: string[];
  /** "invalid": the provider refused the source's OAuth tokens; its syncs wait for a reconnect. */
  credentials_status?: "ok" | "invalid";
  created_at?: string;
  updated_at?: string;
}

export interface Job {
  id: string;
  connection_id: string | null;
  kind: string;
  status: string;
  failure_reason?: string | null;
  created_at?: string;
  finished_at?: string | null;
}

/** One connection in the workspace's status: how its syncs go, and whether the end user may start one. */
export interface ConnectionState {
  connection_id: string;
  source_id: string;
  status: "active" | "inactive";
  paused_reason: string | null;
  last_sync: {
    job_id: string;
    status: "succeeded" | "failed" | "cancelled";
    ended_at: string | null;
    records_committed: number;
    failure_type: string | null;
    failure_reason: string | null;
  } | null;
  next_sync_at: string | null;
  running: boolean;
  allow_end_user_sync: boolean;
}

export interface WorkspaceStatus {
  connections: ConnectionState[];
}

export interface Theme {
  name: string | null;
  primary_color: string;
  logo_url: string | null;
}

export interface ConsentUrl {
  consent_url: string;
}

export interface CheckResult {
  status: "succeeded" | "failed";
  message?: string | null;
}

/** A refused request, with the server's `detail` (a message, or FastAPI-style field errors). */
export class ApiError extends Error {
  constructor(readonly status: number, readonly detail: unknown) {
    super(typeof detail === "string" ? detail : `Request failed (${status})`);
  }

  /** Field errors keyed by their path below source_config, e.g. "host" or "ssl_mode.mode". */
  fieldErrors(): Record<string, string> {
    const errors: Record<string, string> = {};
    if (Array.isArray(this.detail)) {
      for (const item of this.detail as { loc?: unknown[]; msg?: string }[]) {
        const loc = (item.loc ?? []).map(String);
        const at = loc.indexOf("source_config");
        if (at >= 0 && item.msg) {
          errors[loc.slice(at + 1).join(".")] = item.msg;
        }
      }
    }
    return errors;
  }

  /** True when the server refused the request's own field {@code name} (e.g. "secret_id"), not the configuration. */
  concerns(name: string): boolean {
    return Array.isArray(this.detail)
      && (this.detail as { loc?: unknown[] }[]).some((item) => (item.loc ?? []).map(String).includes(name));
  }

  summary(): string {
    if (typeof this.detail === "string") {
      return this.detail;
    }
    if (Array.isArray(this.detail)) {
      return (this.detail as { msg?: string }[]).map((d) => d.msg).filter(Boolean).join("; ") || this.message;
    }
    return this.message;
  }
}

/** The server could not be reached at all (offline, DNS, a dropped connection). */
export class NetworkError extends Error {}

export class Api {
  /** {@code onUnauthorized} gets the token the refused request carried: a newer one may have arrived meanwhile. */
  constructor(private token: string, private readonly onUnauthorized: (token: string) => void) {}

  setToken(token: string): void {
    this.token = token;
  }

  theme(): Promise<Theme> {
    return this.call("GET", "/api/v1/embedded/widget-theme");
  }

  templates(): Promise<SourceTemplate[]> {
    return this.all("/api/v1/embedded/source-templates");
  }

  sources(): Promise<Source[]> {
    return this.all("/api/v1/embedded/sources");
  }

  /** Every page of a list, following its next links by their cursor (a list stops at 50 pages of 100). */
  private async all<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const query: string = `limit=100${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`;
      const page: { next?: string | null } | null = await this.call<{ next?: string | null } | null>("GET", `${path}?${query}`);
      items.push(...list<T>(page));
      cursor = page?.next ? new URL(page.next, window.location.href).searchParams.get("cursor") : null;
      if (cursor === null) {
        break;
      }
    }
    return items;
  }

  async jobs(workspaceId: string): Promise<Job[]> {
    return list(await this.call<unknown>("GET", `/api/v1/jobs?workspace_id=${encodeURIComponent(workspaceId)}&limit=100`));
  }

  status(workspaceId: string): Promise<WorkspaceStatus> {
    return this.call("GET", `/api/v1/workspaces/${encodeURIComponent(workspaceId)}/status`);
  }

  syncNow(connectionId: string): Promise<Job> {
    return this.call("POST", `/api/v1/connections/${encodeURIComponent(connectionId)}/sync`);
  }

  /**
   * {@code secretId}: the tokens of an OAuth consent, used for this check without being used up; {@code sourceId}:
   * the source being edited, whose saved secrets stand where the form leaves them masked.
   */
  check(templateId: string, config: Record<string, unknown>, secretId?: string, sourceId?: string): Promise<CheckResult> {
    return this.call("POST", "/api/v1/embedded/sources/check",
      { source_template_id: templateId, source_config: config, secret_id: secretId, source_id: sourceId });
  }

  create(templateId: string, name: string, config: Record<string, unknown>, secretId?: string): Promise<Source> {
    return this.call("POST", "/api/v1/embedded/sources",
      { source_template_id: templateId, name, source_config: config, secret_id: secretId });
  }

  /** A consent for a new source; without a redirect URL the provider returns to Tributary's popup page. */
  async initiateOAuth(templateId: string): Promise<string> {
    const answer = await this.call<ConsentUrl>("POST", "/api/v1/embedded/sources/oauth/initiate", { source_template_id: templateId });
    return answer.consent_url;
  }

  /** A consent whose tokens will replace those of the existing source. */
  async reconnectOAuth(sourceId: string): Promise<string> {
    const answer = await this.call<ConsentUrl>("POST", `/api/v1/embedded/sources/${encodeURIComponent(sourceId)}/oauth/initiate`, {});
    return answer.consent_url;
  }

  reconnect(sourceId: string, secretId: string): Promise<Source> {
    return this.call("PUT", `/api/v1/embedded/sources/${encodeURIComponent(sourceId)}`, { secret_id: secretId });
  }

  update(id: string, name: string, config: Record<string, unknown>): Promise<Source> {
    return this.call("PUT", `/api/v1/embedded/sources/${encodeURIComponent(id)}`, { name, source_config: config });
  }

  remove(id: string): Promise<unknown> {
    return this.call("DELETE", `/api/v1/embedded/sources/${encodeURIComponent(id)}`);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const token = this.token;
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new NetworkError("The server could not be reached");
    }
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (response.status === 401) {
      this.onUnauthorized(token);
    }
    if (!response.ok) {
      throw new ApiError(response.status, (json as { detail?: unknown } | null)?.detail ?? text);
    }
    return json as T;
  }
}

function list<T>(value: unknown): T[] {
  if (Array.isArray(value)) {
    return value as T[];
  }
  const data = (value as { data?: unknown } | null)?.data;
  return Array.isArray(data) ? (data as T[]) : [];
}
