// What a central consumer must do with a site's stream, as code: validate each message, drop
// duplicates by eventId, and follow seq per site to notice gaps (and a seq reused by another event,
// which would be a bug on the site). Used by scripts/mqtt-consumer.ts and by the sync tests.
import { ContractValidator, type Envelope, type OnlineMessage } from './contract.js';

export type Observation =
  | { kind: 'event'; topic: string; message: Envelope; outOfOrder: boolean }
  | { kind: 'duplicate'; topic: string; message: Envelope }
  | { kind: 'gap'; topic: string; siteId: string; missingFrom: number; missingTo: number; message: Envelope }
  | { kind: 'conflict'; topic: string; message: Envelope; otherEventId: string }
  | { kind: 'online'; topic: string; message: OnlineMessage; retained: boolean }
  | { kind: 'invalid'; topic: string; problems: string; raw: string };

interface SiteTrack {
  bySeq: Map<number, string>; // seq -> eventId
  eventIds: Set<string>;
  maxSeq: number;
  events: Envelope[]; // in arrival order, duplicates dropped
  duplicates: number;
}

export interface SiteSummary { siteId: string; events: number; duplicates: number; firstSeq: number; lastSeq: number; missing: number[] }

export class SiteChecker {
  private readonly sites = new Map<string, SiteTrack>();
  readonly invalid: Array<{ topic: string; problems: string }> = [];
  readonly conflicts: Array<{ siteId: string; seq: number; eventIds: [string, string] }> = [];

  constructor(private readonly validator = new ContractValidator()) {}

  observe(topic: string, payload: Buffer | string, retained = false): Observation {
    const raw = payload.toString();
    let message: unknown;
    try { message = JSON.parse(raw); } catch { return this.bad(topic, 'not JSON', raw); }
    const problems = this.validator.problems(message);
    if (problems) return this.bad(topic, problems, raw);
    const siteFromTopic = topic.split('/').at(-2);
    if ((message as { siteId: string }).siteId !== siteFromTopic) return this.bad(topic, `siteId does not match topic (${siteFromTopic})`, raw);
    if (topic.endsWith('/online')) return { kind: 'online', topic, message: message as OnlineMessage, retained };
    return this.event(topic, message as Envelope);
  }

  private bad(topic: string, problems: string, raw: string): Observation {
    this.invalid.push({ topic, problems });
    return { kind: 'invalid', topic, problems, raw };
  }

  private event(topic: string, message: Envelope): Observation {
    let site = this.sites.get(message.siteId);
    if (!site) {
      site = { bySeq: new Map(), eventIds: new Set(), maxSeq: message.seq - 1, events: [], duplicates: 0 };
      this.sites.set(message.siteId, site);
    }
    if (site.eventIds.has(message.eventId)) { site.duplicates++; return { kind: 'duplicate', topic, message }; }
    const other = site.bySeq.get(message.seq);
    if (other !== undefined) {
      this.conflicts.push({ siteId: message.siteId, seq: message.seq, eventIds: [other, message.eventId] });
      return { kind: 'conflict', topic, message, otherEventId: other };
    }
    site.eventIds.add(message.eventId);
    site.bySeq.set(message.seq, message.eventId);
    site.events.push(message);
    const before = site.maxSeq;
    site.maxSeq = Math.max(before, message.seq);
    if (message.seq > before + 1) {
      return { kind: 'gap', topic, siteId: message.siteId, missingFrom: before + 1, missingTo: message.seq - 1, message };
    }
    return { kind: 'event', topic, message, outOfOrder: message.seq < before };
  }

  /** Events of a site in arrival order, without duplicates. */
  events(siteId: string): Envelope[] { return this.sites.get(siteId)?.events ?? []; }

  summary(): SiteSummary[] {
    return [...this.sites.entries()].map(([siteId, s]) => {
      const seqs = [...s.bySeq.keys()];
      const firstSeq = Math.min(...seqs);
      const lastSeq = Math.max(...seqs);
      const missing: number[] = [];
      for (let q = firstSeq; q <= lastSeq && missing.length < 1000; q++) if (!s.bySeq.has(q)) missing.push(q);
      return { siteId, events: s.events.length, duplicates: s.duplicates, firstSeq, lastSeq, missing };
    });
  }
}
