//! The `owlery` binary: parse the command line and hand over to the library.
use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    server::cli::init_tracing();
    server::memory::return_large_blocks();
    match server::cli::run(server::cli::Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("owlery: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
