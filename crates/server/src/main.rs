//! `lanyard-server`: reads its flags, serves until SIGINT or SIGTERM, then shuts down cleanly.
//! `lanyard-server admin …` and `lanyard-server backup FILE` run an operator command instead.

use clap::Parser;
use lanyard_server::config::Command;
use lanyard_server::{Application, Config};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    match &config.command {
        Some(Command::Admin(command)) => {
            return report("admin", lanyard_server::admin::run(&config, command).await);
        }
        Some(Command::Backup { to }) => {
            return report("backup", lanyard_server::admin::backup(&config, to).await);
        }
        None => {}
    }
    let app = match Application::build(config).await {
        Ok(app) => app,
        Err(error) => {
            tracing::error!(%error, "cannot start");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(url = %app.public_url(), port = app.port(), "Lanyard is listening");
    match app.run_until(shutdown_signal()).await {
        Ok(()) => {
            tracing::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(error) => {
            tracing::error!(%error, "server failed");
            ExitCode::FAILURE
        }
    }
}

/// Prints what an operator command did, or why it did nothing.
fn report(command: &str, result: Result<String, impl std::fmt::Display>) -> ExitCode {
    match result {
        Ok(done) => {
            println!("{done}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("lanyard-server {command}: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
