//! End-to-end tests of the `smartcity-eval` binary over small workspaces in temp folders.
//! One test crate (one link step) holds every module.

mod batch;
mod build;
mod corpus;
mod export;
mod harness;
mod init_schema;
mod render;
mod score;
mod validate;
