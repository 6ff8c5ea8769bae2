//! The desktop's client on a company network, each case in a process of its own (`reach`)
//! with the environment such a machine has: a server behind TLS whose certificate comes from
//! the company's own CA (made here with rcgen), trusted only through the system trust store's
//! variable `SSL_CERT_FILE`; the same server through an `HTTPS_PROXY` (a CONNECT proxy of the
//! test's own, which also resolves `lanyard.invalid` to the server); and the app's built-in
//! server on loopback, reached directly even when the proxy variables name a dead proxy. And
//! the server's own mail: SMTP over TLS to a mail server with the company's certificate (a
//! real SMTP server, aiosmtpd, behind the same TLS end), trusted through the same variable.

// Test code may panic: a failed expectation is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use lanyard_core::clock::SystemClock;
use lanyard_testkit::server::{Running, config, fresh_database};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// The name the company's certificate is for; `.invalid` never resolves anywhere real.
const HOST: &str = "lanyard.invalid";

/// Runs `reach url` with `env`; answers whether it succeeded, and what it said.
fn reach(url: &str, env: &[(&str, &str)]) -> (bool, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reach"));
    command.arg(url);
    for name in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "NO_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "no_proxy",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
    ] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    let output = command.output().expect("reach runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// A company CA, and a certificate for `HOST` and 127.0.0.1 it signed; the CA's PEM is
/// written to `dir/company-ca.pem`.
fn company_certificate(dir: &Path) -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "Example Corp Root CA");
    let ca_key = KeyPair::generate().unwrap();
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    std::fs::write(dir.join("company-ca.pem"), ca_cert.pem()).unwrap();
    let issuer = Issuer::new(ca, ca_key);
    let leaf = CertificateParams::new(vec![HOST.to_owned(), "127.0.0.1".to_owned()]).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf_cert = leaf.signed_by(&leaf_key, &issuer).unwrap();
    (
        leaf_cert.der().clone(),
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
    )
}

/// Terminates TLS with the company's certificate and passes the bytes on to `backend`.
async fn tls_front(
    certificate: (CertificateDer<'static>, PrivateKeyDer<'static>),
    backend: SocketAddr,
) -> SocketAddr {
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![certificate.0], certificate.1)
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let Ok(mut server) = TcpStream::connect(backend).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut server).await;
            });
        }
    });
    address
}

/// A CONNECT proxy that sends every tunnel to `to`, remembering what each asked for.
async fn connect_proxy(to: SocketAddr, asked: Arc<Mutex<Vec<String>>>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let asked = asked.clone();
            tokio::spawn(async move {
                let mut client = BufReader::new(tcp);
                let mut line = String::new();
                if client.read_line(&mut line).await.is_err() {
                    return;
                }
                asked.lock().unwrap().push(line.trim().to_owned());
                // The rest of the request's head, up to its empty line.
                loop {
                    let mut header = String::new();
                    match client.read_line(&mut header).await {
                        Ok(0) | Err(_) => return,
                        Ok(_) if header.trim().is_empty() => break,
                        Ok(_) => {}
                    }
                }
                let Ok(mut server) = TcpStream::connect(to).await else {
                    return;
                };
                let mut client = client.into_inner();
                if client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await
                    .is_ok()
                {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                }
            });
        }
    });
    address
}

#[tokio::test(flavor = "multi_thread")]
async fn a_company_ca_in_the_trust_store_a_proxy_and_loopback_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database(dir.path()).await;
    let server = Running::start(config(&database, dir.path()), Arc::new(SystemClock)).await;
    let backend: SocketAddr = format!(
        "{}:{}",
        server.url.host_str().unwrap(),
        server.url.port().unwrap()
    )
    .parse()
    .unwrap();
    let front = tls_front(company_certificate(dir.path()), backend).await;
    let ca = dir.path().join("company-ca.pem");
    let ca = ca.to_str().unwrap();
    let direct = format!("https://127.0.0.1:{}/", front.port());

    // Only the company's CA vouches for the certificate: without it in the trust store the
    // connection is refused, with it (the system store's variable) it goes through.
    let no_company_ca = dir.path().join("system-certificates");
    std::fs::create_dir(&no_company_ca).unwrap();
    let (ok, said) = reach(
        &direct,
        &[("SSL_CERT_DIR", no_company_ca.to_str().unwrap())],
    );
    assert!(
        !ok && said.to_lowercase().contains("certificate"),
        "refused without the CA: {said}"
    );
    let (ok, said) = reach(&direct, &[("SSL_CERT_FILE", ca)]);
    assert!(ok, "trusted through SSL_CERT_FILE: {said}");

    // Through the company's proxy: the client asks it for a tunnel to the server's name.
    let asked = Arc::new(Mutex::new(Vec::new()));
    let proxy = connect_proxy(front, asked.clone()).await;
    let proxy_url = format!("http://127.0.0.1:{}", proxy.port());
    let (ok, said) = reach(
        &format!("https://{HOST}/"),
        &[("SSL_CERT_FILE", ca), ("HTTPS_PROXY", &proxy_url)],
    );
    assert!(ok, "through HTTPS_PROXY: {said}");
    assert_eq!(
        asked.lock().unwrap().as_slice(),
        [format!("CONNECT {HOST}:443 HTTP/1.1")]
    );

    // The built-in server on loopback: straight there, whatever proxy the variables name.
    let dead = "http://127.0.0.1:9";
    let (ok, said) = reach(
        server.url.as_str(),
        &[
            ("HTTP_PROXY", dead),
            ("http_proxy", dead),
            ("ALL_PROXY", dead),
        ],
    );
    assert!(ok, "loopback is never proxied: {said}");
}

/// A real SMTP server (aiosmtpd) delivering into `maildir`, on a free loopback port.
struct SmtpServer(std::process::Child, SocketAddr);

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_smtp(maildir: &Path) -> SmtpServer {
    let port = lanyard_testkit::ports::unclaimed();
    let python = std::env::var("LANYARD_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let child = Command::new(python)
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(maildir)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("python3 with aiosmtpd is installed (scripts/test installs it)");
    let address: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::net::TcpStream::connect(address).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "aiosmtpd did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    SmtpServer(child, address)
}

#[tokio::test(flavor = "multi_thread")]
async fn mail_goes_over_tls_to_a_server_only_the_company_ca_vouches_for() {
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("Maildir");
    let smtp = start_smtp(&maildir);
    let front = tls_front(company_certificate(dir.path()), smtp.1).await;
    let ca = dir.path().join("company-ca.pem");
    let url = format!("smtps://127.0.0.1:{}", front.port());

    let (ok, said) = reach(&url, &[]);
    assert!(
        !ok && said.to_lowercase().contains("certificate"),
        "refused without the CA: {said}"
    );
    let delivered = || std::fs::read_dir(maildir.join("new")).map_or(0, |d| d.count());
    assert_eq!(
        delivered(),
        0,
        "nothing sent to a server nobody vouches for"
    );

    let (ok, said) = reach(&url, &[("SSL_CERT_FILE", ca.to_str().unwrap())]);
    assert!(ok, "sent through the trust store's CA: {said}");
    assert_eq!(delivered(), 1, "the message is in the mailbox");
}
