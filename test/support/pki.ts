// Keys and certificates made with the system's openssl for TLS tests: a server certificate for
// 127.0.0.1, and a charger's key with a CSR (what a charger's firmware sends in SignCertificate).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** A self-signed P-256 server certificate for 127.0.0.1 in dir; returns the file paths and the PEM (the client's ca). */
export function serverCertificate(dir: string): { certFile: string; keyFile: string; pem: string } {
  const certFile = path.join(dir, 'server-cert.pem');
  const keyFile = path.join(dir, 'server-key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { certFile, keyFile, pem: fs.readFileSync(certFile, 'utf8') };
}

/** A fresh P-256 key and a CSR with the given subject (e.g. /CN=CP-1/O=Acme). */
export function keyAndCsr(dir: string, subject: string): { key: string; csr: string } {
  const keyFile = path.join(dir, `key-${Math.random().toString(36).slice(2)}.pem`);
  execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', keyFile]);
  return { key: fs.readFileSync(keyFile, 'utf8'), csr: execFileSync('openssl', ['req', '-new', '-key', keyFile, '-subj', subject], { encoding: 'utf8' }) };
}
