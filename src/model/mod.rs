//! Serde types, one per YAML file kind. They carry spans (`Sp`) where validation needs to
//! point back at a value; JSON Schemas are derived from them (`schema` command).

pub mod assessment;
pub mod city;
pub mod data_options;
pub mod dimensions;
pub mod evidence;
pub mod framework;
pub mod program;
pub mod results;
pub mod rpjmd;
pub mod scenario;
mod spanned;

pub use assessment::{Answer, Assessment};
pub use city::City;
pub use data_options::{DataOptions, Decimal};
pub use dimensions::Dimensions;
pub use evidence::{Document, Evidence, Opd, OpdList};
pub use framework::{Framework, Rule};
pub use program::{Program, ProgramFile, ProgramIndicator};
pub use results::PublishedResult;
pub use rpjmd::Rpjmd;
pub use scenario::Scenario;
pub use spanned::Sp;
