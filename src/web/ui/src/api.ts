// The HTTP API /api/v1 (docs/api.md): JSON requests with the session's CSRF token on every change.

export type Role = 'viewer' | 'operator' | 'admin';

export interface Session {
  user: { name: string; role: Role };
  csrfToken: string;
}

export interface Connector {
  connectorId: number;
  status: string;
  errorCode: string | null;
  info: string | null;
  updatedAt: string | null;
}

export interface ChargePoint {
  id: string;
  connected: boolean;
  vendor: string | null;
  model: string | null;
  serialNumber: string | null;
  firmwareVersion: string | null;
  bootStatus: string | null;
  lastBootAt: string | null;
  lastSeenAt: string | null;
  connectors: Connector[];
  appliedLimit: { limit: number; unit: 'A' | 'W'; numberPhases?: number } | null;
}

export interface Transaction {
  id: number;
  chargePointId: string;
  connectorId: number;
  idTag: string;
  active: boolean;
  startedAt: string;
  stoppedAt: string | null;
  energyWh: number | null;
  stopReason: string | null;
  // The id the charger knows the transaction by (the CSMS's in online mode): the one a remote stop names.
  chargerTransactionId?: number | null;
  // Live stream only: the newest energy register reading of an active transaction.
  meterStartWh?: number;
  meterNowWh?: number | null;
}

export interface CsmsLink {
  chargePointId: string;
  state: string;
  chargerConnected: boolean;
  backlog: number;
  held: number;
  lastProblem?: string;
  outageSince?: string;
}

export interface BalancedCharger {
  chargePointId: string;
  unit: 'A' | 'W';
  targetLimit?: number;
  sentLimit?: number;
  lastAccepted?: boolean;
  // What the charger draws by its own MeterValues, in `unit`.
  measuredDraw?: number;
  overLimit: boolean;
}

// A balancing group (circuit) in force, as configured in site.groups.
export interface SiteGroup {
  id: string;
  phaseLimitA: number[];
  parent?: string;
  powerLimitKw?: number;
}

export interface SiteStatus {
  mode: 'online' | 'offline';
  gridLimitA: number[];
  csmsLinks: CsmsLink[];
  balancing?: BalancedCharger[];
  // Measured site load per phase in A, once the balancer reports it.
  loadA?: (number | null)[] | null; // null on a phase the meter does not measure
  groups?: SiteGroup[];
}

export interface WhitelistEntry {
  idTag: string;
  status?: string;
  expiryDate?: string;
  parentIdTag?: string;
  note?: string;
}

export interface User {
  name: string;
  role: Role;
  createdAt: string;
}

export interface EventRecord {
  id: number;
  at: string;
  chargePointId: string | null;
  kind: string;
  details: unknown;
}

export interface MessageRecord {
  id: number;
  at: string;
  chargePointId: string;
  direction: string;
  messageType: number | string;
  uniqueId: string;
  action: string | null;
  sizeBytes: number;
}

// One key a configuration change was refused for, e.g. {field: 'site.phaseLimitA', reason: 'must be …'}.
export interface FieldProblem {
  field: string;
  reason: string;
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly field?: string, readonly fields: FieldProblem[] = []) {
    super(message);
  }
}

let csrfToken = '';
let onUnauthorized: () => void = () => {};
// Cancels the requests of the signed-in session. Logging out aborts those still on their way, so none of them comes
// back 401 after the server has forgotten the session: the browser would log each such answer as an error.
let sessionRequests = new AbortController();

// The session itself (logging in and out, asking who is logged in) and the first-run check belong to no session.
const belongsToSession = (path: string): boolean => path !== '/session' && path !== '/setup';

export function beginSession(token: string): void {
  csrfToken = token;
  sessionRequests = new AbortController();
}

// Aborts the session's requests in flight, and those its pages would still start, then logs out on the server.
export async function endSession(): Promise<void> {
  sessionRequests.abort();
  await request('DELETE', '/session').catch(() => undefined);
}

// Called when the server says the session is gone, so the app shows the login form again.
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export async function request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
  const headers: Record<string, string> = {};
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  let payload: string | undefined;
  if (body !== undefined) {
    headers['Content-Type'] = contentType;
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const signal = belongsToSession(path) ? sessionRequests.signal : undefined;
  const response = await fetch(`/api/v1${path}`, { method, headers, body: payload, credentials: 'same-origin', signal });
  if (response.status === 204) return undefined as T;
  const isJson = (response.headers.get('Content-Type') ?? '').includes('json');
  const data = isJson ? await response.json() : await response.text();
  if (!response.ok) {
    if (response.status === 401 && path !== '/session') onUnauthorized();
    const error = isJson ? (data as { error?: string; field?: string; fields?: FieldProblem[] }) : {};
    throw new ApiError(response.status, error.error ?? response.statusText, error.field, error.fields);
  }
  return data as T;
}

export const get = <T>(path: string): Promise<T> => request<T>('GET', path);

export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function can(role: Role, needed: Role): boolean {
  const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };
  return rank[role] >= rank[needed];
}
