//! The server's settings: command-line flags, each also read from `LANYARD_<FLAG>`.

use clap::Parser;
use secrecy::SecretString;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use url::Url;

fn secret(raw: &str) -> Result<SecretString, Infallible> {
    Ok(SecretString::from(raw))
}

#[derive(Debug, Clone, Parser)]
#[command(name = "lanyard-server", version, about = "Lanyard's identity server")]
pub struct Config {
    /// Address and port to listen on (port 0 picks a free one).
    #[arg(long, env = "LANYARD_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// `sqlite://path/to/lanyard.db` (created if missing) or `postgres://…`.
    #[arg(long, env = "LANYARD_DATABASE", default_value = "sqlite://lanyard.db")]
    pub database: String,

    /// The URL clients reach this server at; links in mails start with it.
    /// Defaults to `http://<bind>`.
    #[arg(long, env = "LANYARD_PUBLIC_URL")]
    pub public_url: Option<Url>,

    /// Write every outgoing mail and SMS as a file in this folder instead of sending it.
    #[arg(long, env = "LANYARD_MAIL_OUTBOX", conflicts_with = "smtp_url")]
    pub mail_outbox: Option<PathBuf>,

    /// `smtp://user:pass@host:port` (add `?tls=required` for STARTTLS) or `smtps://…` (TLS);
    /// without it and without
    /// `--mail-outbox`, mail goes to the folder `mail-outbox`.
    #[arg(long, env = "LANYARD_SMTP_URL", value_parser = secret)]
    pub smtp_url: Option<SecretString>,

    /// The sender of every mail.
    #[arg(
        long,
        env = "LANYARD_MAIL_FROM",
        default_value = "Lanyard <lanyard@localhost>"
    )]
    pub mail_from: String,

    /// The key that signs access tokens (at least 32 characters). Without it a random key is
    /// generated on first start and kept in the database, shared by all replicas.
    #[arg(long, env = "LANYARD_SIGNING_KEY", value_parser = secret)]
    pub signing_key: Option<SecretString>,

    /// Argon2 hashes run at once (each takes 19 MiB). Defaults to the number of CPUs.
    #[arg(long, env = "LANYARD_HASH_THREADS")]
    pub hash_threads: Option<usize>,

    /// Plans and their user limits; the free plan (12 unless given) always exists.
    #[arg(
        long,
        env = "LANYARD_PLANS",
        default_value = "free=12,standard=50,professional=250,enterprise=1000"
    )]
    pub plans: crate::plans::Plans,

    /// A social sign-in provider: OpenID Connect as `NAME=ISSUER,CLIENT_ID,CLIENT_SECRET`, or
    /// plain OAuth2 as `NAME=oauth2:AUTHORIZE_URL|TOKEN_URL|USERINFO_URL[|SCOPES],CLIENT_ID,CLIENT_SECRET`;
    /// repeat the flag (or separate with `;` in the variable) for several.
    #[arg(long = "social", env = "LANYARD_SOCIAL", value_delimiter = ';')]
    pub social: Vec<crate::social::SocialProvider>,

    /// Behind one load balancer: the same as `--trusted-proxies 1`.
    #[arg(long, env = "LANYARD_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,

    /// How many proxies in front of the server append to `X-Forwarded-For`. The client's
    /// address for per-IP limits is the entry that many places from the right (the one the
    /// outermost trusted proxy saw). 0 (the default) ignores the header, so nobody can pick
    /// their own address.
    #[arg(long, env = "LANYARD_TRUSTED_PROXIES", default_value_t = 0)]
    pub trusted_proxies: usize,

    /// Another `Host` this server answers for, besides the host of `--public-url` (repeat
    /// the flag for several). Requests for any other host get 421 `misdirected_request`, so a
    /// web page cannot reach the server through a DNS name that points at it.
    #[arg(
        long = "allowed-host",
        env = "LANYARD_ALLOWED_HOSTS",
        value_delimiter = ','
    )]
    pub allowed_hosts: Vec<String>,

    /// Let account administrators point single sign-on at `http` issuers and at loopback,
    /// private or link-local addresses. Off by default: otherwise anyone who can create an
    /// account could make the server fetch addresses of its own network. Tests and the
    /// desktop's embedded server turn it on.
    #[arg(long, env = "LANYARD_ALLOW_PRIVATE_ISSUERS")]
    pub allow_private_issuers: bool,

    /// Days a session lives at most, however often it is refreshed.
    #[arg(long, env = "LANYARD_SESSION_LIFETIME_DAYS", default_value_t = 30,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub session_lifetime_days: u16,

    /// Log filter, e.g. `info` or `lanyard_server=debug,tower_http=debug`.
    #[arg(long, env = "LANYARD_LOG", default_value = "info")]
    pub log: String,

    /// Rate limits on sign-in, registration and recovery; only benchmarks turn them off.
    #[arg(skip = true)]
    pub rate_limits: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// Operator commands, run against `--database` without starting the server.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Write a consistent copy of the SQLite database at `--database` to FILE, also while
    /// the server runs (a PostgreSQL database is backed up with pg_dump).
    Backup {
        #[arg(value_name = "FILE")]
        to: PathBuf,
    },
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum AdminCommand {
    /// Allow one more rename of the account at ADDRESS (paid plans only).
    GrantRename { address: String },
    /// Move the account at ADDRESS to PLAN.
    SetPlan { address: String, plan: String },
    /// Record that the company at ADDRESS owns the email DOMAIN (checked by support, e.g. by a
    /// DNS record): its single sign-on may then link identities with verified emails under
    /// DOMAIN to the profiles whose login they are, without asking for their password.
    VerifyDomain { address: String, domain: String },
}

impl Config {
    /// The settings for a server on `database`, every other flag at its default.
    pub fn for_database(database: &str) -> Config {
        Config::parse_from(["lanyard-server", "--database", database])
    }
}
