// Checks the certificate and key before uWS sees them: uWS only says "App construction failed",
// while an installer needs to know which file is unreadable, not PEM, expired or not a pair.
import { StartupError } from '../startupError.js';
import fs from 'node:fs';
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';

export interface TlsInfo { subject: string; validTo: Date; daysLeft: number }

function readFile(kind: string, file: string): Buffer {
  try { return fs.readFileSync(file); } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new StartupError(`TLS file not found: ${file} (http.tls.${kind})`);
    if (code === 'EACCES') throw new StartupError(`TLS file not readable by this user: ${file} (http.tls.${kind}); e.g. copy it to /etc/ocpp-edge/tls with group ocpp-edge`);
    throw new StartupError(`cannot read TLS file ${file}: ${(err as Error).message}`);
  }
}

export function checkTlsFiles(certFile: string | undefined, keyFile: string | undefined): TlsInfo {
  if (!certFile || !keyFile) throw new StartupError('http.tls.enabled needs http.tls.certFile and http.tls.keyFile');
  const certPem = readFile('certFile', certFile);
  const keyPem = readFile('keyFile', keyFile);
  let cert: X509Certificate;
  try { cert = new X509Certificate(certPem); } catch (err) {
    throw new StartupError(`http.tls.certFile ${certFile} is not a PEM certificate: ${(err as Error).message}`);
  }
  let key: KeyObject;
  try { key = createPrivateKey(keyPem); } catch (err) {
    throw new StartupError(`http.tls.keyFile ${keyFile} is not an unencrypted PEM private key: ${(err as Error).message}`);
  }
  if (!cert.checkPrivateKey(key)) throw new StartupError(`http.tls.keyFile ${keyFile} is not the key of the certificate in ${certFile}`);
  const validTo = new Date(cert.validTo);
  return { subject: cert.subject.replace(/\n/g, ', '), validTo, daysLeft: Math.floor((validTo.getTime() - Date.now()) / 86_400_000) };
}
