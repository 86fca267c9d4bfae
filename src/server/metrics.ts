// Prometheus counters and a latency histogram, rendered in the text exposition format.
import type { SessionMetrics } from '../ocpp/session.js';

/** A label value in the text exposition format: backslash, double quote and newline escaped. */
export function labelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class Metrics implements SessionMetrics {
  // Raw names as keys (escaped only when rendered): this runs for every message.
  private readonly messages = { in: new Map<string, number>(), out: new Map<string, number>() };
  private readonly errors = new Map<string, number>();
  // action (from the schemas) x kind (REPAIR_KINDS): bounded whatever a charger sends.
  private readonly repairs = new Map<string, number>();
  private readonly authFailures = new Map<string, number>();
  private readonly latency = new Map<string, { buckets: number[]; sum: number; count: number }>();

  message(direction: 'IN' | 'OUT', action: string): void {
    const counts = direction === 'IN' ? this.messages.in : this.messages.out;
    counts.set(action, (counts.get(action) ?? 0) + 1);
  }

  error(kind: string): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
  }

  repaired(action: string, kind: string): void {
    const key = `${action}\u0000${kind}`;
    this.repairs.set(key, (this.repairs.get(key) ?? 0) + 1);
  }

  /** A refused charger authentication: wrong_password, unknown_id, or throttled (refused before any check). */
  authFailed(outcome: string): void {
    this.authFailures.set(outcome, (this.authFailures.get(outcome) ?? 0) + 1);
  }

  handled(action: string, seconds: number): void {
    let h = this.latency.get(action);
    if (!h) this.latency.set(action, (h = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) h.buckets[i]!++;
    h.sum += seconds;
    h.count++;
  }

  /** Gauges are read at scrape time from whoever owns them. */
  render(gauges: Record<string, { help: string; value: number }>): string {
    const out: string[] = [];
    // A key may carry labels (name{a="b"}): HELP and TYPE once per metric name.
    const described = new Set<string>();
    for (const [series, g] of Object.entries(gauges)) {
      const name = series.split('{')[0]!;
      if (!described.has(name)) out.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`);
      described.add(name);
      out.push(`${series} ${g.value}`);
    }
    out.push('# HELP ocpp_edge_messages_total OCPP messages by direction and action', '# TYPE ocpp_edge_messages_total counter');
    for (const [direction, counts] of Object.entries(this.messages)) {
      for (const [action, n] of counts) out.push(`ocpp_edge_messages_total{direction="${direction}",action="${labelValue(action)}"} ${n}`);
    }
    out.push('# HELP ocpp_edge_errors_total Protocol errors sent, bad frames, call timeouts', '# TYPE ocpp_edge_errors_total counter');
    for (const [kind, n] of this.errors) out.push(`ocpp_edge_errors_total{kind="${labelValue(kind)}"} ${n}`);
    out.push('# HELP ocpp_edge_compat_repairs_total Charger deviations the compatibility layer repaired (or messages kept for review)', '# TYPE ocpp_edge_compat_repairs_total counter');
    for (const [key, n] of this.repairs) {
      const [action, kind] = key.split('\u0000');
      out.push(`ocpp_edge_compat_repairs_total{action="${labelValue(action!)}",kind="${labelValue(kind!)}"} ${n}`);
    }
    out.push('# HELP ocpp_edge_charger_auth_failures_total Charger connections refused for their credentials, or throttled after too many', '# TYPE ocpp_edge_charger_auth_failures_total counter');
    for (const [outcome, n] of this.authFailures) out.push(`ocpp_edge_charger_auth_failures_total{outcome="${labelValue(outcome)}"} ${n}`);
    out.push('# HELP ocpp_edge_call_duration_seconds Charger call handled to durable reply', '# TYPE ocpp_edge_call_duration_seconds histogram');
    for (const [name, h] of this.latency) {
      const action = labelValue(name);
      BUCKETS.forEach((le, i) => out.push(`ocpp_edge_call_duration_seconds_bucket{action="${action}",le="${le}"} ${h.buckets[i]}`));
      out.push(`ocpp_edge_call_duration_seconds_bucket{action="${action}",le="+Inf"} ${h.count}`);
      out.push(`ocpp_edge_call_duration_seconds_sum{action="${action}"} ${h.sum}`);
      out.push(`ocpp_edge_call_duration_seconds_count{action="${action}"} ${h.count}`);
    }
    return out.join('\n') + '\n';
  }
}
