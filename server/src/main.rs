//! The `reglament` binary: configuration, database, migrations, serve.

use std::process::ExitCode;

/// mimalloc instead of the system allocator: a request allocates and frees many small buffers
/// (JSON, SQL, rows), and glibc's malloc took a sixth of the CPU of a ticket-creation run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match server::config::Cli::load() {
        Ok(cli) => cli,
        Err(error) => match error.downcast::<clap::Error>() {
            Ok(usage) => usage.exit(),
            Err(error) => {
                eprintln!("reglament: {error:#}");
                return ExitCode::FAILURE;
            }
        },
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("reglament: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(server::run(cli));
    // What is left (the event tailer, a blocked read of standard input) must not hold up the exit.
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("reglament: {error:#}");
            ExitCode::FAILURE
        }
    }
}
