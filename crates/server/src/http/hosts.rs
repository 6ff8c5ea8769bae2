//! The `Host` check, against DNS rebinding: a web page in the user's browser can point a name
//! of its own at 127.0.0.1 and so reach the desktop's embedded server (or a server inside a
//! company network) with the user's browser. Such requests carry the page's name in `Host`;
//! the server answers only for its own hosts, and others get 421 `misdirected_request`. While
//! the desktop shares its server with the network (`sharing`), its LAN `ip:port` is one.

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use lanyard_core::Error;
use url::Url;

/// The `Host` values to answer for: the public URL's host (with its port, and without it when
/// the port is the scheme's default), and each extra `host:port`, or `host` on any port
/// (kept as `host:*`), lower case. A
/// server on `127.0.0.1:PORT` also answers for `localhost:PORT`, and for nothing else.
pub fn allowed(public_url: &Url, extra: &[String]) -> Vec<String> {
    let mut hosts = Vec::new();
    if let Some(host) = public_url.host_str() {
        let host = host.to_ascii_lowercase();
        let loopback = matches!(public_url.host(), Some(url::Host::Ipv4(ip)) if ip.is_loopback());
        match public_url.port() {
            Some(port) if loopback => {
                hosts.push(format!("{host}:{port}"));
                hosts.push(format!("localhost:{port}"));
            }
            Some(port) => hosts.push(format!("{host}:{port}")),
            None => {
                if let Some(port) = public_url.port_or_known_default() {
                    hosts.push(format!("{host}:{port}"));
                }
                hosts.push(host);
            }
        }
    }
    for host in extra.iter().map(|host| host.trim().to_ascii_lowercase()) {
        match split_port(&host) {
            (_, Some(_)) => hosts.push(host),
            ("", None) => {}
            (name, None) => hosts.push(format!("{name}:*")),
        }
    }
    hosts
}

/// Whether a request for `host` is ours: exactly one of `allowed`, or a `name:*` entry's host
/// on any port (an `--allowed-host` given without one).
pub fn is_allowed(allowed: &[String], host: &str) -> bool {
    let host = host.trim().to_ascii_lowercase();
    let (name, _) = split_port(&host);
    allowed
        .iter()
        .any(|entry| *entry == host || entry.strip_suffix(":*") == Some(name))
}

/// `host:port` → (`host`, Some(`port`)); an IPv6 literal keeps its brackets.
fn split_port(host: &str) -> (&str, Option<&str>) {
    let name_end = if host.starts_with('[') {
        host.find(']').map_or(host.len(), |end| end + 1)
    } else {
        host.rfind(':').unwrap_or(host.len())
    };
    match host[name_end..].strip_prefix(':') {
        Some(port) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
            (&host[..name_end], Some(port))
        }
        _ => (host, None),
    }
}

/// Refuses requests for hosts this server does not serve. `/healthz` answers any host, for
/// load balancers that probe by address.
pub async fn check(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
        .or_else(|| request.uri().authority().map(|a| a.as_str().to_owned()));
    let ours = host.is_some_and(|host| is_allowed(&state.reach().hosts, &host));
    if ours || request.uri().path() == "/healthz" {
        next.run(request).await
    } else {
        AppError::from(Error::MisdirectedRequest).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_host_and_the_extra_ones_are_allowed_and_nothing_else() {
        let local = allowed(&Url::parse("http://127.0.0.1:4100/").unwrap(), &[]);
        assert!(is_allowed(&local, "127.0.0.1:4100"));
        assert!(is_allowed(&local, "LOCALHOST:4100"));
        assert!(!is_allowed(&local, "127.0.0.1:4101"));
        assert!(!is_allowed(&local, "rebind.attacker.example:4100"));
        assert!(!is_allowed(&local, "127.0.0.1"));

        let public = allowed(&Url::parse("https://id.example.com/").unwrap(), &[]);
        assert!(is_allowed(&public, "id.example.com"));
        assert!(is_allowed(&public, "id.example.com:443"));
        assert!(!is_allowed(&public, "id.example.com:8443"));
        assert!(!is_allowed(&public, "evil.example.com"));

        let any_port = allowed(
            &Url::parse("https://id.example.com/").unwrap(),
            &["[::1]".into()],
        );
        assert!(is_allowed(&any_port, "[::1]:8080"));
    }
}
