// The site's certificate authority (OCPP 1.6 security whitepaper, edition 2): it signs the CSRs chargers
// send with SignCertificate, and its certificate is what chargers are told to trust (InstallCertificate
// CentralSystemRootCertificate). Either the operator's own CA (config pki.caCertFile/caKeyFile) or one
// generated once in <dataDir>/pki (key 0600). Node's crypto reads certificates but cannot sign a CSR, so
// signing runs the system's openssl (present on Raspberry Pi OS and Debian); nothing here knows OCPP.
import { execFile } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CaOptions { dataDir: string; caCertFile?: string; caKeyFile?: string; organizationName?: string; certificateDays: number; siteName: string }

export interface CertificateSummary { subject: string; issuer: string; serialNumber: string; validFrom: string; validTo: string; fingerprint256: string }

/** A CSR the site will not sign; the message says why in words an installer can act on. */
export class CsrRefused extends Error {}

export function summarize(cert: X509Certificate): CertificateSummary {
  return {
    subject: cert.subject.replace(/\n/g, ', '), issuer: cert.issuer.replace(/\n/g, ', '), serialNumber: cert.serialNumber,
    validFrom: new Date(cert.validFrom).toISOString(), validTo: new Date(cert.validTo).toISOString(), fingerprint256: cert.fingerprint256,
  };
}

/** One RDN value (CN, O) out of an openssl RFC 2253 subject line such as "subject=CN=CP-1,O=Acme". */
export function rdnValue(subjectLine: string, key: string): string | undefined {
  const body = subjectLine.replace(/^subject=\s*/, '').trim();
  for (const part of body.split(/(?<!\\),/)) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === key) return part.slice(eq + 1).trim().replace(/\\(.)/g, '$1');
  }
  return undefined;
}

export class SiteCa {
  constructor(private readonly opts: CaOptions) {}

  private get files(): { cert: string; key: string } {
    if (this.opts.caCertFile && this.opts.caKeyFile) return { cert: this.opts.caCertFile, key: this.opts.caKeyFile };
    const dir = path.join(this.opts.dataDir, 'pki');
    return { cert: path.join(dir, 'ca.crt'), key: path.join(dir, 'ca.key') };
  }

  /** The CA certificate, or undefined while none exists yet (nothing was signed, none generated). */
  certificate(): X509Certificate | undefined {
    const file = this.files.cert;
    return fs.existsSync(file) ? new X509Certificate(fs.readFileSync(file)) : undefined;
  }

  certificatePem(): string | undefined {
    const file = this.files.cert;
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  }

  /** Generates the site CA once (P-256, 10 years); a configured CA is never replaced. */
  async ensure(): Promise<X509Certificate> {
    const existing = this.certificate();
    if (existing) return existing;
    if (this.opts.caCertFile) throw new Error(`the configured CA certificate ${this.opts.caCertFile} does not exist`);
    const { cert, key } = this.files;
    fs.mkdirSync(path.dirname(cert), { recursive: true, mode: 0o700 });
    const cn = `${this.opts.siteName} ocpp-edge site CA`.replace(/[/=+,\\]/g, ' ').slice(0, 64);
    const tmpKey = `${key}.${process.pid}.tmp`;
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', tmpKey, '-out', cert,
      '-days', '3650', '-subj', `/CN=${cn}${this.opts.organizationName ? `/O=${this.opts.organizationName.replace(/[/=]/g, ' ')}` : ''}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    fs.chmodSync(tmpKey, 0o600);
    fs.renameSync(tmpKey, key);
    return this.certificate()!;
  }

  /**
   * Checks and signs a charger's CSR. The certificate's common name must be the charge point id (that is
   * how a profile-3 connection is matched to its charger) and, when the site names its organization, O
   * must be it. Returns the PEM chain: the charger's certificate, then the CA's.
   */
  async sign(csrPem: string, chargePointId: string): Promise<{ chainPem: string; certificate: CertificateSummary }> {
    const ca = await this.ensure();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-csr-'));
    try {
      const csrFile = path.join(work, 'req.csr');
      fs.writeFileSync(csrFile, csrPem);
      let subject: string;
      try {
        subject = (await run('openssl', ['req', '-in', csrFile, '-noout', '-verify', '-subject', '-nameopt', 'RFC2253'])).stdout;
      } catch {
        throw new CsrRefused('the CSR is not a valid PEM certificate request (or its signature does not verify)');
      }
      const cn = rdnValue(subject.split('\n').find((l) => l.startsWith('subject=')) ?? '', 'CN');
      if (cn !== chargePointId) throw new CsrRefused(`the CSR names CN=${cn ?? '(none)'}, but this charger is ${chargePointId}`);
      const org = this.opts.organizationName;
      const o = rdnValue(subject.split('\n').find((l) => l.startsWith('subject=')) ?? '', 'O');
      if (org && o !== org) throw new CsrRefused(`the CSR names O=${o ?? '(none)'}, but this site's organization is ${org}`);
      const ext = path.join(work, 'ext.cnf');
      fs.writeFileSync(ext, 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement,keyEncipherment\nextendedKeyUsage=clientAuth\n');
      const certFile = path.join(work, 'cert.pem');
      await run('openssl', ['x509', '-req', '-in', csrFile, '-CA', this.files.cert, '-CAkey', this.files.key, '-out', certFile,
        '-days', String(this.opts.certificateDays), '-set_serial', `0x${randomBytes(16).toString('hex')}`, '-extfile', ext, '-sha256']);
      const certPem = fs.readFileSync(certFile, 'utf8');
      return { chainPem: certPem + ca.toString(), certificate: summarize(new X509Certificate(certPem)) };
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
}
