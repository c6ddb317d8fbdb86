//! The `smartcity-eval` binary: parse the command line, run, map the outcome to an exit code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = smartcity_eval::cli::Cli::parse();
    smartcity_eval::commands::run(cli)
}
