//! The server's calls to identity providers. An account's administrator chooses its single
//! sign-on issuer, so without a guard anyone who can create an account could make the server
//! fetch addresses of its own network (SSRF) and read the answers back from error texts.
//!
//! Guarded calls are `https` only and go only to public addresses: the host name is resolved
//! by our resolver, which refuses loopback, private, link-local and other special addresses, and
//! the connection uses exactly the addresses it checked (no second lookup for a rebinding DNS
//! server to race). IP literals are checked before the request. Redirects are never followed,
//! answers are capped, and every failure is the same `issuer_unreachable` with no detail.
//! Operators may allow private issuers (`--allow-private-issuers`: tests, the desktop's
//! embedded server); social providers are configured by the operator and are trusted.

use crate::error::AppError;
use lanyard_core::Error;
use openidconnect::reqwest::{self, dns};
use openidconnect::{AsyncHttpClient, HttpRequest, HttpResponse, http};
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// Provider answers larger than this are refused (discovery documents and key sets are small).
const MAX_ANSWER_BYTES: usize = 512 * 1024;
const TIMEOUT: Duration = Duration::from_secs(10);

/// An HTTP client for identity providers.
pub struct Outbound {
    client: reqwest::Client,
    guarded: bool,
}

/// Why a provider call failed, kept for the log only: clients see `issuer_unreachable`.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Unreachable(String);

impl From<Unreachable> for Error {
    fn from(cause: Unreachable) -> Error {
        tracing::warn!(%cause, "an identity provider could not be reached");
        Error::IssuerUnreachable
    }
}

impl From<Unreachable> for AppError {
    fn from(cause: Unreachable) -> AppError {
        AppError::Domain(cause.into())
    }
}

impl Outbound {
    /// A client for the issuers account administrators choose: guarded unless `allow_private`.
    pub fn for_accounts(allow_private: bool) -> Result<Outbound, Unreachable> {
        Outbound::build(!allow_private)
    }

    /// A client for the social providers the operator configured.
    pub fn for_operator() -> Result<Outbound, Unreachable> {
        Outbound::build(false)
    }

    fn build(guarded: bool) -> Result<Outbound, Unreachable> {
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT);
        if guarded {
            // Straight to the issuer, never through a proxy from the environment: a proxy
            // would resolve the name itself, and the address check would see nothing.
            builder = builder.dns_resolver(Arc::new(PublicOnly)).no_proxy();
        }
        let client = builder
            .build()
            .map_err(|e| Unreachable(format!("http client: {e}")))?;
        Ok(Outbound { client, guarded })
    }

    /// The plain client, for providers the operator configured.
    pub fn reqwest(&self) -> &reqwest::Client {
        &self.client
    }

    /// Whether `url` may be called at all: `https` to a public address when guarded.
    pub fn check(&self, url: &Url) -> Result<(), Error> {
        if !self.guarded {
            return matches!(url.scheme(), "https" | "http")
                .then_some(())
                .ok_or(Error::IssuerNotAllowed);
        }
        let public_host = match url.host() {
            Some(url::Host::Domain(name)) => !name.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => is_public(IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => is_public(IpAddr::V6(ip)),
            None => false,
        };
        if url.scheme() == "https" && public_host {
            Ok(())
        } else {
            Err(Error::IssuerNotAllowed)
        }
    }

    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Unreachable> {
        let url = Url::parse(&request.uri().to_string())
            .map_err(|e| Unreachable(format!("provider URL: {e}")))?;
        self.check(&url)
            .map_err(|_| Unreachable(format!("address not allowed: {url}")))?;
        let request = reqwest::Request::try_from(request)
            .map_err(|e| Unreachable(format!("request: {e}")))?;
        let mut answer = self
            .client
            .execute(request)
            .await
            .map_err(|e| Unreachable(format!("{url}: {e}")))?;
        let mut response = http::Response::builder().status(answer.status());
        for (name, value) in answer.headers() {
            response = response.header(name, value);
        }
        let mut body = Vec::new();
        while let Some(chunk) = answer
            .chunk()
            .await
            .map_err(|e| Unreachable(format!("{url}: {e}")))?
        {
            if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(Unreachable(format!("{url}: answer too large")));
            }
            body.extend_from_slice(&chunk);
        }
        response
            .body(body)
            .map_err(|e| Unreachable(format!("{url}: {e}")))
    }
}

impl<'c> AsyncHttpClient<'c> for Outbound {
    type Error = Unreachable;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, Unreachable>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(self.send(request))
    }
}

/// Resolves names and refuses any that points at a non-public address.
struct PublicOnly;

impl dns::Resolve for PublicOnly {
    fn resolve(&self, name: dns::Name) -> dns::Resolving {
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            if found.is_empty() || found.iter().any(|addr| !is_public(addr.ip())) {
                return Err("the name resolves to an address that is not allowed".into());
            }
            Ok(Box::new(found.into_iter()) as dns::Addrs)
        })
    }
}

/// Whether `ip` is an address of the public internet: not loopback, private, link-local,
/// shared (CGNAT), unspecified, multicast, documentation or otherwise reserved.
pub fn is_public(ip: IpAddr) -> bool {
    match ip.to_canonical() {
        IpAddr::V4(ip) => {
            let [a, b, ..] = ip.octets();
            !(ip.is_loopback()
                || ip.is_private()
                || ip.is_link_local()
                || ip.is_unspecified()
                || ip.is_broadcast()
                || ip.is_multicast()
                || ip.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0)
                || (a == 198 && (18..20).contains(&b))
                || a >= 240)
        }
        IpAddr::V6(ip) => {
            let first = ip.segments()[0];
            !(ip.is_loopback()
                || ip.is_unspecified()
                || ip.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && ip.segments()[1] == 0x0db8
                || first == 0x0064)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["93.184.215.14", "2606:4700::1111", "8.8.4.4"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn guarded_calls_are_https_to_public_hosts_only() {
        let guarded = Outbound::for_accounts(false).unwrap();
        let check = |url: &str| guarded.check(&Url::parse(url).unwrap()).is_ok();
        assert!(check("https://id.example.com/"));
        assert!(!check("http://id.example.com/"));
        assert!(!check("https://127.0.0.1:8443/"));
        assert!(!check("https://[::1]/"));
        assert!(!check("https://localhost/"));
        assert!(!check("https://169.254.169.254/latest/meta-data"));
        let open = Outbound::for_accounts(true).unwrap();
        assert!(
            open.check(&Url::parse("http://127.0.0.1:9/").unwrap())
                .is_ok()
        );
        assert!(
            open.check(&Url::parse("file:///etc/passwd").unwrap())
                .is_err()
        );
    }

    #[tokio::test]
    async fn names_that_resolve_to_loopback_are_refused_when_resolved() {
        use dns::Resolve;
        use std::str::FromStr;
        // `localhost` resolves (from the hosts file) to a loopback address.
        let name = dns::Name::from_str("localhost").unwrap();
        assert!(PublicOnly.resolve(name).await.is_err());
        let guarded = Outbound::for_accounts(false).unwrap();
        let request = http::Request::builder()
            .uri("https://issuer.invalid/.well-known/openid-configuration")
            .body(Vec::new())
            .unwrap();
        let Err(refused) = guarded.send(request).await else {
            panic!("an unknown name was fetched")
        };
        assert_eq!(Error::from(refused).code(), "issuer_unreachable");
    }
}
