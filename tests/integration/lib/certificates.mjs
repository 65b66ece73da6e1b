// Certificates for TLS tests, made with the openssl CLI in a temporary directory: certificate authorities and server
// certificates signed by them, valid, for another host name, or expired.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// `openssl ca` rather than `openssl x509 -req`: it is the one that can date a certificate in the past in OpenSSL 3.0.
const CA_CONFIG = `[ca]
default_ca = test_ca
[test_ca]
database = index.txt
new_certs_dir = .
rand_serial = yes
unique_subject = no
default_md = sha256
policy = any
copy_extensions = copy
[any]
commonName = supplied
`;

function openssl(cwd, args) {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
}

export class TestPki {
  constructor() {
    this.dir = mkdtempSync(path.join(tmpdir(), 'linkray-pki-'));
    writeFileSync(path.join(this.dir, 'ca.cnf'), CA_CONFIG);
    writeFileSync(path.join(this.dir, 'index.txt'), '');
  }

  // A self-signed certificate authority; returns the paths of its certificate and key.
  certificateAuthority(name) {
    const ca = { cert: path.join(this.dir, `${name}.pem`), key: path.join(this.dir, `${name}.key`) };
    openssl(this.dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', ca.key, '-out', ca.cert, '-subj', `/CN=${name}`, '-days', '2']);
    return ca;
  }

  // A server certificate signed by `ca`, for `altName` (an openssl subjectAltName), valid from `startDate` to
  // `endDate` (YYYYMMDDHHMMSSZ) or for a day from now; returns its PEM certificate and key, as a TLS server takes them.
  serverCertificate(name, ca, { altName = 'IP:127.0.0.1', startDate, endDate } = {}) {
    const key = path.join(this.dir, `${name}.key`);
    const request = path.join(this.dir, `${name}.csr`);
    const cert = path.join(this.dir, `${name}.pem`);
    openssl(this.dir, ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', key, '-out', request, '-subj', `/CN=${name}`, '-addext', `subjectAltName=${altName}`]);
    const validity = startDate ? ['-startdate', startDate, '-enddate', endDate] : ['-days', '1'];
    openssl(this.dir, ['ca', '-batch', '-config', 'ca.cnf', '-cert', ca.cert, '-keyfile', ca.key, '-in', request,
      '-out', cert, '-notext', ...validity]);
    return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
  }

  remove() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
