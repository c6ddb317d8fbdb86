//! `schema`: JSON Schemas for every YAML file kind, derived from the serde types.

use std::path::Path;
use std::process::ExitCode;

use schemars::{JsonSchema, schema_for};

use super::{Outcome, print};
use crate::cli::SchemaArgs;
use crate::diagnostic::{Diagnostic, Location};
use crate::model::{Assessment, City, DataOptions, Dimensions, Framework, OpdList, ProgramFile};
use crate::outdir::write_atomic;

/// (file name, schema JSON) for every YAML kind.
pub fn schemas() -> Result<Vec<(&'static str, String)>, Box<Diagnostic>> {
    fn one<T: JsonSchema>(title: &str, description: &str) -> Result<String, Box<Diagnostic>> {
        let mut schema = schema_for!(T);
        schema.insert("title".into(), title.into());
        schema.insert("description".into(), description.into());
        let json = serde_json::to_string_pretty(&schema).map_err(|e| {
            Box::new(Diagnostic::error("internal", format!("cannot write the JSON Schema of {title}: {e}")))
        })?;
        Ok(json + "\n")
    }
    Ok(vec![
        (
            "city.schema.json",
            one::<City>("city.yaml", "indicators/city.yaml: the city and the evaluation being prepared")?,
        ),
        (
            "dimensions.schema.json",
            one::<Dimensions>("dimensions.yaml", "indicators/dimensions.yaml: the six smart city dimensions")?,
        ),
        (
            "framework.schema.json",
            one::<Framework>("framework", "indicators/framework/<id>.yaml: an evaluation instrument")?,
        ),
        (
            "program.schema.json",
            one::<ProgramFile>("program", "indicators/programs/**/*.yaml: one program or a list of programs")?,
        ),
        (
            "rpjmd.schema.json",
            one::<crate::model::Rpjmd>(
                "rpjmd.yaml",
                "indicators/rpjmd.yaml: the RPJMD programs say they serve (optional)",
            )?,
        ),
        (
            "results.schema.json",
            one::<crate::model::PublishedResult>(
                "results",
                "indicators/results/<year>.yaml: a published result of an earlier evaluation (optional)",
            )?,
        ),
        (
            "scenario.schema.json",
            one::<crate::model::Scenario>(
                "scenario",
                "scenarios/<name>.yaml: a what-if over answers, indicator values and program status (optional)",
            )?,
        ),
        (
            "assessment.schema.json",
            one::<Assessment>("assessment", "indicators/assessment/<year>.yaml: self-assessment answers")?,
        ),
        (
            "opd.schema.json",
            one::<OpdList>("opd.yaml", "indicators/opd.yaml: the OPDs that programs and evidence name by id")?,
        ),
        (
            "data-sidecar.schema.json",
            one::<DataOptions>("data sidecar", "data/**/<file>.yaml: how to read one data file")?,
        ),
        (
            "evaluation.schema.json",
            one::<crate::evaluation::Evaluation>(
                "Evaluation",
                "`smartcity-eval score --format json`: everything the documents show (`smartcity-eval docs evaluation`)",
            )?,
        ),
    ])
}

pub fn run(root: &Path, args: &SchemaArgs) -> Outcome {
    let dir = args.out.clone().unwrap_or_else(|| root.join("schemas"));
    for (name, json) in schemas()? {
        let path = dir.join(name);
        write_atomic(&path, json.as_bytes()).map_err(|e| {
            Box::new(Diagnostic::error("write-failed", format!("cannot write schema: {e}")).at(Location::file(&path)))
        })?;
        print(&format!("wrote {}\n", path.display()));
    }
    Ok(ExitCode::SUCCESS)
}
