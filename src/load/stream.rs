//! The streaming way for big observation files: one pass that proves the file clean and
//! summarises it, keeping nothing but the summary.
//!
//! CSV is read in line-aligned blocks on all cores ([`super::blocks`]) and parquet in row-group
//! slices ([`super::row_groups`]); both fold every row into its (indicator, area, year, slot)
//! figures ([`super::fold`]) with the cell-by-cell reader's own parsing functions, so the two
//! ways give the same summary (docs/decisions.md, ADR 9).
//!
//! A file with anything to report (a bad cell, a duplicate, a header that needs mapping help, an
//! odd encoding) is read cell by cell instead ([`super::table`]), which gives the located
//! diagnostics: the streaming readers stop at the first such row, so a clean file costs one pass
//! and a broken one a pass up to its first problem plus the precise read. Files below
//! [`min_bytes`] are always read cell by cell: it is quicker for them.

use std::path::Path;

use super::csv_rows::csv_header;
use super::raw::Origin;
use super::summary::Summary;
use crate::model::DataOptions;

/// Observation files smaller than this are read cell by cell.
const MIN_BYTES: u64 = 4 * 1024 * 1024;

/// The size from which observation files are streamed; `SMARTCITY_EVAL_STREAM_MIN_BYTES`
/// overrides it (0 streams every file: the corpus tests run that way too).
pub fn min_bytes() -> u64 {
    std::env::var("SMARTCITY_EVAL_STREAM_MIN_BYTES").ok().and_then(|v| v.parse().ok()).unwrap_or(MIN_BYTES)
}

/// A clean observation file, summarised.
pub struct Streamed {
    pub summary: Summary,
    pub origin: Origin,
    /// Rows read (blank ones not counted).
    pub rows: usize,
}

/// Reads a big observation file in one streaming pass; `None` when the file must be read cell
/// by cell (it has problems to report, or something this way does not handle).
pub fn read_observations(path: &Path, shown: &Path, options: &DataOptions) -> Option<Streamed> {
    let is_csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let (summary, duplicates, origin) = if is_csv {
        let header = csv_header(path, shown, options)?;
        let origin = Origin::csv(&header.mapping);
        let (summary, duplicates) = super::blocks::summarise(path, &header, options.decimal)?;
        (summary, duplicates, origin)
    } else {
        let (summary, duplicates) = super::row_groups::summarise(path, shown, options)?;
        (summary, duplicates, Origin::Parquet)
    };
    // Duplicates are reported with both rows' places, which only the cell-by-cell read knows.
    if duplicates {
        return None;
    }
    let rows: u64 = summary.groups.iter().map(|g| u64::from(g.rows)).sum();
    Some(Streamed { summary, origin, rows: rows as usize })
}

#[cfg(test)]
mod tests {
    use polars::prelude::*;

    use super::*;
    use crate::load::blocks::BLOCK;
    use crate::load::table::{Table, read_table_streaming_from};
    use crate::workspace::DataKind;

    /// Every period kind, decimal commas with grouping, areas, empty values and cells that need
    /// trimming, a blank line and CRLF endings.
    const CSV: &str = "Kode;Periode;Nilai;Wilayah;Sumber;Catatan\r\n\
        cctv;2023;1.234,5;;ilustrasi; catatan, dengan spasi \r\n\
        cctv;2023-Q2;0,25;Sirimau;;\r\n\
        cctv; 2023-q3 ;-12;Nusaniwe;;\r\n\
        \r\n\
        cctv;2023-06;;Sirimau;;tidak diukur\r\n\
        sampah;2024-02-29;7;  Teluk Ambon ;;\r\n\
        sampah;2023-12-31;1.000.000;;;\r\n\
        ;;;;;\r\n\
        sampah;2023-01;3,14159;;;\r\n";
    const SIDECAR: &str = "decimal: comma\ncolumns: {indicator: Kode, period: Periode, value: Nilai, area: Wilayah, source: Sumber, note: Catatan}\n";

    fn write(dir: &Path, name: &str, content: &[u8], sidecar: Option<&str>) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, content).unwrap();
        if let Some(s) = sidecar {
            std::fs::write(dir.join(format!("{name}.yaml")), s).unwrap();
        }
        path
    }

    fn options(sidecar: Option<&str>) -> DataOptions {
        sidecar.map(|s| serde_saphyr::from_str(s).unwrap()).unwrap_or_default()
    }

    /// The cell-by-cell reading of `path` (never streamed), which must find nothing to report.
    fn precise(path: &Path) -> Table {
        let mut diagnostics = Vec::new();
        let table = read_table_streaming_from(
            DataKind::Observations,
            path,
            Path::new("o"),
            &DataOptions::default(),
            u64::MAX,
            &mut diagnostics,
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        table.unwrap()
    }

    fn streamed(path: &Path, sidecar: Option<&str>) -> Streamed {
        read_observations(path, Path::new("o"), &options(sidecar)).expect("a clean file is streamed")
    }

    #[test]
    fn streaming_and_cell_by_cell_give_the_same_summary() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "o.csv", CSV.as_bytes(), Some(SIDECAR));
        let precise = precise(&path);
        assert_eq!(precise.frame.height(), 7);
        let streamed = streamed(&path, Some(SIDECAR));
        assert_eq!(Some(&streamed.summary), precise.summary.as_ref());
        assert_eq!(streamed.rows, 7);
        let kinds: Vec<&str> = precise.frame.column("period_kind").unwrap().str().unwrap().iter().flatten().collect();
        for kind in ["year", "quarter", "month", "day"] {
            assert!(kinds.contains(&kind), "{kind}");
        }
    }

    /// Quoted fields (a delimiter, a doubled quote, a quoted header, quoted numbers) are split
    /// by csv-core as the csv crate splits them for the cell-by-cell reader; rows keep their
    /// line numbers (the `last` value and its row depend on them).
    #[test]
    fn quoted_csv_is_streamed_as_the_cell_by_cell_reader_reads_it() {
        let dir = tempfile::tempdir().unwrap();
        let body = "\"indicator\",\"period\",\"value\",\"area\",\"source\",\"note\"\r\n\
            \"a\",2023-01,\"1.5\",\"Sirimau, Kota\",,\"kata \"\"resmi\"\"\"\r\n\
            \n\
            a,2023-02,2,\"Sirimau, Kota\",ilustrasi,\r\n\
            \"b\",\"2023\",\"-3\",,,\"\"\r\n\
            b,2022,\"\",\"\",\"\",\"tidak diukur\"\r\n";
        let path = write(dir.path(), "o.csv", body.as_bytes(), None);
        let precise = precise(&path);
        let streamed = streamed(&path, None);
        assert_eq!(Some(&streamed.summary), precise.summary.as_ref());
        assert_eq!((streamed.rows, precise.rows), (4, 4));
        let sirimau = streamed.summary.groups.iter().find(|g| g.area == "Sirimau, Kota").expect("the quoted area");
        assert_eq!(sirimau.rows, 2);
    }

    #[test]
    fn parquet_streaming_and_cell_by_cell_give_the_same_summary() {
        let dir = tempfile::tempdir().unwrap();
        let mut frame = df![
            "indicator" => ["a", "a", "a", "b", " b "],
            "period" => ["2023", "2023-Q4", "2023-11", "2023-02-28", "2022"],
            "value" => [Some(0.1 + 0.2), None, Some(1e-7), Some(-3.0), Some(123_456_789.123)],
            "area" => [None, Some("X"), Some("Y"), None, Some("")],
        ]
        .unwrap();
        let path = dir.path().join("o.parquet");
        ParquetWriter::new(std::fs::File::create(&path).unwrap()).finish(&mut frame).unwrap();
        let precise = precise(&path);
        let streamed = streamed(&path, None);
        assert_eq!(Some(&streamed.summary), precise.summary.as_ref());
        assert_eq!(streamed.rows, 5);
    }

    #[test]
    fn anything_to_report_goes_to_the_cell_by_cell_reader() {
        let dir = tempfile::tempdir().unwrap();
        let header = "indicator,period,value,area\n";
        for body in [
            "a,2023,1,\na,2023,2,\n",               // duplicate
            "a,2023-06-02,1,X\na,2023-06-02,2,X\n", // duplicate day
            "a,2023,1\n",                           // short row
            "a,2023,1,,\n",                         // long row
            "a,2023-13,1,\n",                       // bad period
            "a,2023,1 ton,\n",                      // bad number
            "a,2023,\"1,5\",\n",                    // comma in a number
            ",2023,1,\n",                           // no indicator
            "a,2023,1,\"X\nY\"\n",                  // quoted line break
            "a,2023,1,\"X\n",                       // a quote never closed
            "a,2023,1,X\rb,2023,1,X\n",             // lone carriage return
            "a,2023,1,\"X\"\rb,2023,1,X\n",         // lone carriage return in a quoted block
            "a,2023,NaN,\n",                        // not finite
            "a,2023,1,\"X\",\"Y\"\n",               // long quoted row
            "a,2023,1,X\n\"\",2023,1,\n",           // a quoted empty indicator
        ] {
            let path = write(dir.path(), "o.csv", format!("{header}{body}").as_bytes(), None);
            assert!(read_observations(&path, Path::new("o"), &DataOptions::default()).is_none(), "{body:?}");
        }
        // What csv-core and the csv crate read alike is streamed, however odd the quoting.
        for body in ["a,2023,1,\n\"a\",2023-Q1,\"2\",X\n", "a,2023,1,X\"Y\n", "a,2023,1,\"X \"Y\"Z\n"] {
            let path = write(dir.path(), "o.csv", format!("{header}{body}").as_bytes(), None);
            let streamed = streamed(&path, None);
            assert_eq!(Some(&streamed.summary), precise(&path).summary.as_ref(), "{body:?}");
        }
    }

    /// A quote opened at the end of one block and closed in the next cannot be read from the
    /// middle: the first block then ends inside the quoted value (its last line end is the one
    /// inside the quotes), csv-core sees a value with a line break, and the file goes to the
    /// cell-by-cell reader, which reports it.
    #[test]
    fn a_quoted_value_across_a_block_boundary_is_never_split() {
        let dir = tempfile::tempdir().unwrap();
        let header = "indicator,period,value,area,source,note\n";
        let mut data = String::new();
        let mut day = 0u32;
        let line = |day: u32| {
            let (i, n) = (day / 3000, day % 3000);
            let (y, m, d) = (1950 + n / 336, n / 28 % 12 + 1, n % 28 + 1);
            format!("i{i},{y}-{m:02}-{d:02},{day},,,\"catatan, {day}\"\n")
        };
        while data.len() + 200 < BLOCK {
            data.push_str(&line(day));
            day += 1;
        }
        // The line break inside the quotes falls 3 bytes before the block's end.
        let open = "b,2023,1,,,\"buka";
        data.push_str(open);
        data.push_str(&"x".repeat(BLOCK - 3 - data.len()));
        data.push_str("\ntutup\"\n");
        while data.len() < 3 * BLOCK {
            data.push_str(&line(day));
            day += 1;
        }
        assert_eq!(data.as_bytes()[BLOCK - 3], b'\n');
        let path = write(dir.path(), "o.csv", format!("{header}{data}").as_bytes(), None);
        assert!(read_observations(&path, Path::new("o"), &DataOptions::default()).is_none());
        // Without the line break the same file is streamed over several blocks, and agrees.
        let path =
            write(dir.path(), "o.csv", format!("{header}{}", data.replace("\ntutup", " tutup")).as_bytes(), None);
        let streamed = streamed(&path, None);
        assert_eq!(Some(&streamed.summary), precise(&path).summary.as_ref());
        assert_eq!(streamed.rows, day as usize + 1);
    }

    /// Found by the `table` fuzz target's comparison: the streaming reader looked for NUL bytes
    /// in the file's first 4096 bytes, the cell-by-cell reader in the first 4096 after the BOM.
    #[test]
    fn a_nul_just_past_4096_bytes_after_a_bom_is_binary_on_both_ways() {
        let dir = tempfile::tempdir().unwrap();
        for at in [4095, 4096, 4098, 4099] {
            let mut file = b"\xEF\xBB\xBFindicator,period,value,area,source,note\n".to_vec();
            // Distinct months from 1900-01: no duplicate, no year out of range.
            let mut month = 0;
            while file.len() + 40 < at {
                file.extend_from_slice(format!("a,{}-{:02},1,,,x\n", 1900 + month / 12, month % 12 + 1).as_bytes());
                month += 1;
            }
            file.extend_from_slice(format!("a,{}-{:02},1,,,", 1900 + month / 12, month % 12 + 1).as_bytes());
            file.resize(at, b'n');
            file.extend_from_slice(b"\0z\n");
            let path = write(dir.path(), "o.csv", &file, None);
            let mut diagnostics = Vec::new();
            let precise = read_table_streaming_from(
                DataKind::Observations,
                &path,
                Path::new("o"),
                &DataOptions::default(),
                u64::MAX,
                &mut diagnostics,
            );
            let binary = diagnostics.iter().any(|d| d.code == "binary-file");
            assert_eq!(binary, at < 4099, "NUL at {at}: {diagnostics:?}");
            assert_eq!(precise.is_some(), !binary, "NUL at {at}");
            let streamed = read_observations(&path, Path::new("o"), &DataOptions::default());
            assert_eq!(streamed.is_some(), !binary, "NUL at {at}: the streaming reader must agree");
        }
    }
}
