//! End-to-end tests of the `smartcity-eval` binary over small workspaces in temp folders.
//! One test crate (one link step) holds every module.

// Test helpers may panic: a failed expectation should stop the test loudly. (clippy.toml's
// allow-*-in-tests covers #[test] functions only, not the helpers they call.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout)]

mod atomic;
mod batch;
mod build;
mod concurrency;
mod corpus;
mod dimensions;
mod docs;
mod evidence;
mod export;
mod guide;
mod harness;
mod history;
mod hostile;
mod init_schema;
mod no_crash;
mod pack;
mod pdf;
mod reading;
mod release;
mod render;
mod rpjmd;
mod scenario;
mod score;
mod templates;
mod validate;
mod workbook;
