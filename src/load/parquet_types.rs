//! Which parquet files can be handed to polars at all: their column types, and their column
//! chunks inside the file.
//!
//! polars panics, instead of returning an error, when a parquet file holds a column type this
//! build has no support for (half-precision floats, decimals, categoricals from pandas, structs,
//! intervals, time zones it cannot parse…): found by the `table` fuzz target. Every parquet
//! reader here checks the file's schema first, so such a file gives a diagnostic naming the
//! column instead of a crash.

use std::path::Path;

use polars::prelude::*;

use crate::diagnostic::{Diagnostic, Location};

/// A parquet file's footer, decoded once and checked: what the readers need of it.
#[derive(Debug)]
pub struct Checked {
    pub schema: std::sync::Arc<ArrowSchema>,
    pub metadata: polars::io::parquet::metadata::FileMetadataRef,
}

/// The file's schema and metadata, or a diagnostic: damaged metadata, a column chunk outside
/// the file, or the first column of a type that cannot be read.
pub fn check(path: &Path, shown: &Path) -> Result<Checked, Diagnostic> {
    let file = std::fs::File::open(path).map_err(|e| super::text::unreadable(shown, &e))?;
    let length = file.metadata().map_err(|e| super::text::unreadable(shown, &e))?.len();
    let damaged = |why: String| {
        Diagnostic::error("parquet-unreadable", format!("cannot read parquet file: {why}"))
            .at(Location::file(shown))
            .help("check that the file is a complete parquet file (re-export it)")
    };
    // Every size the footer declares must fit in it before polars decodes it: polars reserves
    // memory by the declared counts, and an allocation that fails aborts the process.
    footer(&file, length).and_then(|bytes| super::thrift_sizes::check_footer(&bytes)).map_err(damaged)?;
    let mut reader = ParquetReader::new(file);
    // The metadata decoder panics on some damaged files (crate::guard).
    let metadata = crate::guard::contain(|| reader.get_metadata().map(std::sync::Arc::clone))
        .ok_or_else(|| damaged("its metadata is damaged".to_string()))?
        .map_err(|e| damaged(e.to_string()))?;
    // polars slices the file at each column chunk's byte range without checking it (a range
    // past the end panicked: the `table` fuzz target's second finding).
    for (group, row_group) in metadata.row_groups.iter().enumerate() {
        if row_group.byte_ranges_iter().any(|r| r.start > r.end || r.end > length) {
            return Err(damaged(format!(
                "the data of row group {} lies outside the file ({length} bytes): it is truncated or damaged",
                group + 1
            )));
        }
    }
    // Row counts must agree: the file's with its row groups', and each flat column chunk's
    // values with its group's rows. A group claiming 0 rows over 365 values made the fold read
    // nothing and accept the file, which the cell-by-cell reader failed on (the `table` fuzz
    // target's eighth finding).
    let group_rows: usize = metadata.row_groups.iter().map(|g| g.num_rows()).sum();
    if group_rows != metadata.num_rows {
        return Err(damaged(format!(
            "its metadata counts {} rows in all but {group_rows} in its row groups: it is damaged",
            metadata.num_rows
        )));
    }
    for (group, row_group) in metadata.row_groups.iter().enumerate() {
        let mut flat = row_group.parquet_columns().iter().filter(|c| c.descriptor().descriptor.max_rep_level == 0);
        if let Some(column) = flat.find(|c| usize::try_from(c.num_values()).ok() != Some(row_group.num_rows())) {
            return Err(damaged(format!(
                "row group {} has {} rows but {} values in column `{}`: it is damaged",
                group + 1,
                row_group.num_rows(),
                column.num_values(),
                column.descriptor().path_in_schema.join(".")
            )));
        }
    }
    let schema = crate::guard::contain(|| reader.schema())
        .ok_or_else(|| damaged("its schema is damaged".to_string()))?
        .map_err(|e| damaged(e.to_string()))?;
    if let Some(field) = schema.iter_values().find(|f| !readable(&f.dtype)) {
        return Err(Diagnostic::error(
            "parquet-column-type",
            format!("column `{}` has type {:?}, which smartcity-eval cannot read", field.name, field.dtype),
        )
        .at(Location::file(shown))
        .help("save the column as text or as plain numbers (64-bit float or integer) and export the file again"));
    }
    Ok(Checked { schema, metadata })
}

/// The footer's metadata bytes: `<metadata><length: u32 LE>PAR1` at the end of the file.
fn footer(file: &std::fs::File, length: u64) -> Result<Vec<u8>, String> {
    use std::io::{Read, Seek, SeekFrom};
    let io = |e: std::io::Error| e.to_string();
    let mut file = file;
    let mut tail = [0u8; 8];
    if length < 12 {
        return Err(format!("it has {length} bytes, fewer than any parquet file"));
    }
    file.seek(SeekFrom::Start(length - 8)).map_err(io)?;
    file.read_exact(&mut tail).map_err(io)?;
    if &tail[4..] != b"PAR1" {
        return Err("it does not end with the parquet mark `PAR1`".into());
    }
    let size = u64::from(u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
    if size > length - 12 {
        return Err(format!("its metadata claims {size} bytes of a {length}-byte file"));
    }
    let mut bytes = vec![0u8; size as usize];
    file.seek(SeekFrom::Start(length - 8 - size)).map_err(io)?;
    file.read_exact(&mut bytes).map_err(io)?;
    Ok(bytes)
}

/// Whether polars (with this build's features) turns the arrow type into a column without
/// panicking. Only plain types: what the contract's columns can hold, and what an extra column
/// of a spreadsheet export usually is.
fn readable(dtype: &ArrowDataType) -> bool {
    use ArrowDataType as D;
    match dtype {
        D::Null
        | D::Boolean
        | D::Int8
        | D::Int16
        | D::Int32
        | D::Int64
        | D::UInt8
        | D::UInt16
        | D::UInt32
        | D::UInt64
        | D::Float32
        | D::Float64
        | D::Utf8
        | D::LargeUtf8
        | D::Utf8View
        | D::Binary
        | D::LargeBinary
        | D::BinaryView
        | D::FixedSizeBinary(_)
        | D::Date32
        | D::Date64
        | D::Time32(_)
        | D::Time64(_)
        | D::Duration(_) => true,
        // A time zone is parsed with an `unwrap` in polars.
        D::Timestamp(_, zone) => zone.is_none(),
        D::List(inner) | D::LargeList(inner) => readable(&inner.dtype),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_types_are_readable_and_the_others_are_not() {
        let field = |t: ArrowDataType| Box::new(ArrowField::new("x".into(), t, true));
        for t in
            [ArrowDataType::Float64, ArrowDataType::Utf8View, ArrowDataType::LargeList(field(ArrowDataType::Int64))]
        {
            assert!(readable(&t), "{t:?}");
        }
        for t in [
            ArrowDataType::Float16,
            ArrowDataType::Decimal(10, 2),
            ArrowDataType::Timestamp(polars::prelude::ArrowTimeUnit::Second, Some("Asia/Jayapura".into())),
            ArrowDataType::List(field(ArrowDataType::Float16)),
            ArrowDataType::Struct(vec![ArrowField::new("a".into(), ArrowDataType::Int8, true)]),
        ] {
            assert!(!readable(&t), "{t:?}");
        }
    }
}

/// Files the `table` fuzz target crashed the tool with (`tests/data/fuzz-*.parquet`): each
/// must be refused by both readers with exactly one diagnostic.
#[cfg(test)]
mod found_by_fuzzing {
    use std::path::{Path, PathBuf};

    use crate::load::stream::read_observations;
    use crate::load::table::read_table;
    use crate::model::DataOptions;
    use crate::workspace::DataKind;

    const SHOWN: &str = "data/observations/x.parquet";

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
    }

    /// The streaming reader refuses the damaged file, and the cell-by-cell reader reports exactly
    /// `code`.
    fn refused_by_both_readers(path: &Path, code: &str) {
        let shown = Path::new(SHOWN);
        assert!(read_observations(path, shown, &DataOptions::default()).is_none());
        let mut diagnostics = Vec::new();
        let table = read_table(DataKind::Observations, path, shown, &DataOptions::default(), &mut diagnostics);
        assert!(table.is_none(), "a damaged file must not be read: {diagnostics:?}");
        assert_eq!(diagnostics.iter().map(|d| d.code).collect::<Vec<&str>>(), [code]);
    }

    /// `check` refuses the file as `parquet-unreadable`, saying `says`, and so do both readers.
    fn refused_as_damaged(name: &str, says: &str) {
        let path = fixture(name);
        let error = super::check(&path, Path::new(SHOWN)).expect_err("damaged");
        assert_eq!(error.code, "parquet-unreadable");
        assert!(error.message.contains(says), "{}", error.message);
        refused_by_both_readers(&path, "parquet-unreadable");
    }

    /// The first crash: a schema declaring a Float16 column. The fast path's polars query
    /// panicked on it (exit 101); now both readers name the column.
    #[test]
    fn a_float16_column_is_a_diagnostic_not_a_panic() {
        let path = fixture("fuzz-float16-column.parquet");
        let error = super::check(&path, Path::new(SHOWN)).expect_err("Float16 cannot be read");
        assert_eq!(error.code, "parquet-column-type");
        assert!(error.message.contains("Float16"), "{}", error.message);
        refused_by_both_readers(&path, "parquet-column-type");
    }

    /// The second: a column chunk whose byte range ends past the end of the file. polars
    /// sliced the file there and panicked (in its thread pool, so the cell-by-cell reader
    /// exited 101 too).
    #[test]
    fn a_column_chunk_past_the_end_is_a_diagnostic_not_a_panic() {
        refused_as_damaged("fuzz-chunk-outside-file.parquet", "outside the file");
    }

    /// The third: metadata on which polars' thrift decoder panics (`thrift bool field`).
    /// Contained (crate::guard).
    #[test]
    fn metadata_the_decoder_panics_on_is_a_diagnostic() {
        let path = fixture("fuzz-damaged-metadata.parquet");
        assert_eq!(super::check(&path, Path::new(SHOWN)).expect_err("damaged").code, "parquet-unreadable");
        refused_by_both_readers(&path, "parquet-unreadable");
    }

    /// The fourth: a file on which polars-stream's parquet source failed an assertion in its
    /// decoder threads. Parquet the fold refuses is no longer streamed by polars: it is read
    /// cell by cell, on this thread, contained.
    #[test]
    fn a_file_the_streaming_decoder_asserted_on_is_a_diagnostic() {
        refused_by_both_readers(&fixture("fuzz-stream-decoder-assert.parquet"), "parquet-unreadable");
    }

    /// The seventh (session 4): a file whose `note` column's pages do not decompress, the other
    /// columns intact. The fold decoded only the columns it folds and accepted the file; the
    /// cell-by-cell reader refused it, so the same file passed when large and failed when small.
    #[test]
    fn a_damaged_column_the_fold_does_not_use_is_refused_by_both_readers() {
        let path = fixture("fuzz-damaged-note-column.parquet");
        assert!(super::check(&path, Path::new(SHOWN)).is_ok(), "the footer is intact");
        refused_by_both_readers(&path, "parquet-unreadable");
    }

    /// The ninth (session 5): a 1.7 KB footer whose schema list declares hundreds of millions
    /// of elements. polars reserved memory by that count (55 GB), the allocation failed and the
    /// process aborted, which `catch_unwind` cannot contain. Now the footer's sizes are checked
    /// first (load::thrift_sizes).
    #[test]
    fn a_footer_declaring_more_than_it_holds_is_a_diagnostic_not_an_abort() {
        refused_as_damaged("fuzz-footer-declares-huge-list.parquet", "its metadata");
    }

    /// The eighth: a row group whose metadata claims 0 rows over columns of 365 values. The
    /// fold read no row and accepted the file; the cell-by-cell reader failed on it.
    #[test]
    fn row_counts_that_disagree_are_refused_by_both_readers() {
        refused_as_damaged("fuzz-row-counts-disagree.parquet", "rows");
    }
}
