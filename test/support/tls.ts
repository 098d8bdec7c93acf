// A self-signed certificate for loopback HTTPS servers in tests and benchmarks (issue 9, connection
// reuse over TLS), made with the `selfsigned` dev dependency: an EC P-256 key (fast to make), valid
// for 127.0.0.1 and localhost, marked as a CA so that a client can trust it directly (`ca`).
import selfsigned from "selfsigned";

export interface TestCertificate {
  /** The private key, PEM. */
  readonly key: string;
  /** The certificate, PEM: the server's, and the one root a client trusts. */
  readonly cert: string;
}

let made: Promise<TestCertificate> | undefined;

/** One certificate per process (made once: each takes a few milliseconds of key generation). */
export function testCertificate(): Promise<TestCertificate> {
  made ??= selfsigned
    .generate([{ name: "commonName", value: "ai-inference loopback test" }], {
      keyType: "ec",
      curve: "P-256",
      algorithm: "sha256",
      notAfterDate: new Date(Date.now() + 2 * 86_400_000),
      extensions: [
        { name: "basicConstraints", cA: true },
        {
          name: "subjectAltName",
          altNames: [
            { type: 7, ip: "127.0.0.1" },
            { type: 2, value: "localhost" },
          ],
        },
      ],
    })
    .then((pems) => ({ key: pems.private, cert: pems.cert }));
  return made;
}
