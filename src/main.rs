//! The `smartcity-eval` binary: parse the command line, run, map the outcome to an exit code.

use clap::Parser;

/// mimalloc instead of the system allocator: the data path allocates and frees many
/// mid-sized buffers (polars columns, blocks), which glibc's malloc keeps handing back to the
/// kernel and faulting in again (see docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    smartcity_eval::guard::install_hook();
    smartcity_eval::outdir::remove_temps_on_signals();
    let cli = smartcity_eval::cli::Cli::parse();
    smartcity_eval::commands::run(cli)
}
