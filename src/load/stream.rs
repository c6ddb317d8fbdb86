//! The one pass that reads an observation CSV or parquet file: it summarises the rows and
//! reports the problems of the bad ones, keeping nothing but the summary.
//!
//! CSV is read in line-aligned blocks on all cores ([`super::blocks`]) and parquet in row-group
//! slices ([`super::row_groups`]); both fold every row into its (indicator, area, year, slot)
//! figures ([`super::fold`]) with the cell-by-cell reader's own parsing functions. A row the
//! fold cannot take is checked by that reader's own rules ([`super::cells`]), reported with its
//! line (or row) and column, and left out, as the cell-by-cell reader leaves it out; a repeated
//! period is found by the fold with both rows' places. So every file, with or without
//! problems, is read once (docs/decisions.md, ADR 9).
//!
//! What no row decides alone is left to the cell-by-cell reader (`table.rs`): a header
//! that needs its help (a missing or misspelt column, title rows above it), an encoding other
//! than UTF-8, a value read by the file's undeclared decimal mark, and what csv-core and the
//! csv crate would split differently (a line break inside a quoted value, a lone carriage
//! return). xlsx files are always read cell by cell; their frame is folded by the same fold.

use std::path::Path;

use super::csv_rows::csv_header;
use super::raw::Origin;
use super::summary::Summary;
use crate::diagnostic::Diagnostic;
use crate::model::DataOptions;

/// Every observation CSV and parquet file is streamed, small ones too (ADR 9).
const MIN_BYTES: u64 = 0;

/// The size from which observation files are streamed; `SMARTCITY_EVAL_STREAM_MIN_BYTES`
/// overrides it (the corpus test runs a second time with the largest size, so that every file
/// is read cell by cell and the two readers are compared on every case).
pub fn min_bytes() -> u64 {
    std::env::var("SMARTCITY_EVAL_STREAM_MIN_BYTES").ok().and_then(|v| v.parse().ok()).unwrap_or(MIN_BYTES)
}

/// An observation file, summarised, with the problems of its rows.
pub struct Streamed {
    pub summary: Summary,
    pub origin: Origin,
    /// Rows read (blank ones and those with a problem not counted).
    pub rows: usize,
    /// The rows' problems, located, as the cell-by-cell reader gives them.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads an observation file in one streaming pass; `None` when the cell-by-cell reader must
/// read it: its header or encoding need that reader's help, or a value can only be read with
/// the whole file's decimal convention decided (see [`super::fold::Stop`]).
pub fn read_observations(path: &Path, shown: &Path, options: &DataOptions) -> Option<Streamed> {
    let is_csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let (summary, diagnostics, origin) = if is_csv {
        let header = csv_header(path, shown, options)?;
        let origin = Origin::csv(&header.mapping);
        let (summary, diagnostics) =
            super::blocks::summarise(path, shown, &header, options.decimal, options.decimal_from_workspace)?;
        (summary, diagnostics, origin)
    } else {
        let (summary, diagnostics) = super::row_groups::summarise(path, shown, options)?;
        (summary, diagnostics, Origin::Parquet)
    };
    let rows: u64 = summary.groups.iter().map(|g| u64::from(g.rows)).sum();
    Some(Streamed { summary, origin, rows: rows as usize, diagnostics })
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
        let (table, diagnostics, _) = read_with(path, u64::MAX);
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

    /// Reads `path` with the streaming readers (`min` 0) or cell by cell (`u64::MAX`): the
    /// table, its diagnostics as text, and the passes over the file's rows it took.
    fn read_with(path: &Path, min: u64) -> (Option<Table>, Vec<String>, usize) {
        crate::load::raw::passes::take();
        let mut diagnostics = Vec::new();
        let table = read_table_streaming_from(
            DataKind::Observations,
            path,
            Path::new("o"),
            &DataOptions::default(),
            min,
            &mut diagnostics,
        );
        (table, diagnostics.iter().map(|d| format!("{d:?}")).collect(), crate::load::raw::passes::take())
    }

    /// The streaming read of `path` took one pass and gives what the cell-by-cell read gives:
    /// the same diagnostics in the same order, rows, summary and duplicates. Returns the
    /// diagnostics and the duplicates' (row, earlier) pairs.
    fn agree(path: &Path) -> (Vec<String>, Vec<(u32, u32)>) {
        let (streamed, diagnostics, passes) = read_with(path, 0);
        assert_eq!(passes, 1, "the file must be read once");
        let (precise, precise_diagnostics, _) = read_with(path, u64::MAX);
        assert_eq!(diagnostics, precise_diagnostics);
        let (streamed, precise) = (streamed.expect("a table"), precise.expect("a table"));
        assert_eq!(streamed.frame.height(), 0, "streamed: no rows kept");
        assert_eq!(streamed.rows, precise.rows);
        assert_eq!(streamed.summary, precise.summary);
        let duplicates = streamed.summary.iter().flat_map(|s| &s.duplicates).map(|d| (d.row, d.earlier)).collect();
        (diagnostics, duplicates)
    }

    #[test]
    fn a_row_with_a_problem_is_reported_by_the_streaming_reader_itself() {
        let dir = tempfile::tempdir().unwrap();
        let header = "indicator,period,value,area\n";
        for (body, codes) in [
            ("a,2023,1,\na,2023,2,\n", vec![]),                // duplicate (validation reports it)
            ("a,2023,1\nb,2023,1,\n", vec!["ragged-row"]),     // short row
            ("a,2023,1,,\n", vec!["ragged-row"]),              // long row
            ("a,2023-13,1,\nb,2023,1,\n", vec!["bad-period"]), // bad period
            ("a,2023,1 ton,\n", vec!["not-a-number"]),         // bad number
            (",2023,1,\n", vec!["empty-value"]),               // no indicator
            ("a,2023,NaN,\n", vec!["not-a-number"]),           // not finite
            ("a,2023,1,\"X\",\"Y\"\n", vec!["ragged-row"]),    // long quoted row
            ("a,2023,1,\"X\",\"Y\",Z,W,V\n", vec!["ragged-row"]), // more fields than `ends` held
            ("a,2023,1,\"X\"\nb,2023,2,\"Y\"", vec![]),        // no line end after a quoted last line
            ("a,2023,1,\"X\"\nb,2023,x,\"Y\"", vec!["not-a-number"]),
            ("a,2023,1,X\n\"\",2023,1,\n", vec!["empty-value"]), // a quoted empty indicator
            (",2023-13,x,\n", vec!["empty-value", "bad-period", "not-a-number"]),
            ("a,2023,1,\n\"a\",2023-Q1,\"2\",X\n", vec![]),
            ("a,2023,1,X\"Y\n", vec![]),
            ("a,2023,1,\"X \"Y\"Z\n", vec![]),
        ] {
            let path = write(dir.path(), "o.csv", format!("{header}{body}").as_bytes(), None);
            let (diagnostics, _) = agree(&path);
            let found: Vec<&str> = diagnostics
                .iter()
                .filter_map(|d| codes.iter().find(|c| d.contains(&format!("\"{c}\""))).copied())
                .collect();
            assert_eq!(found, codes, "{body:?}: {diagnostics:?}");
            assert_eq!(diagnostics.len(), codes.len(), "{body:?}: {diagnostics:?}");
        }
        let path = write(
            dir.path(),
            "o.csv",
            format!("{header}a,2023-06-02,1,X\nb,2023,1,\na,2023-06-02,2,X\n").as_bytes(),
            None,
        );
        assert_eq!(agree(&path).1, vec![(4, 2)]);
    }

    /// What only the whole file decides (a value read by the file's undeclared decimal mark)
    /// or what csv-core and the csv crate would read differently (a line break in a value, a
    /// lone carriage return) is left to the cell-by-cell reader.
    #[test]
    fn what_no_row_decides_alone_goes_to_the_cell_by_cell_reader() {
        let dir = tempfile::tempdir().unwrap();
        let header = "indicator,period,value,area\n";
        for body in [
            "a,2023,\"1,5\",\n",            // comma in a number, decimal mark undeclared
            "a,2023,1.500,\n",              // reads two ways
            "a,2023,1,\"X\nY\"\n",          // quoted line break
            "a,2023,1,\"X\n",               // a quote never closed
            "a,2023,1,X\rb,2023,1,X\n",     // lone carriage return
            "a,2023,1,\"X\"\rb,2023,1,X\n", // lone carriage return in a quoted block
        ] {
            let path = write(dir.path(), "o.csv", format!("{header}{body}").as_bytes(), None);
            assert!(read_observations(&path, Path::new("o"), &DataOptions::default()).is_none(), "{body:?}");
        }
    }

    /// Good rows over several blocks (64 KiB in tests), plain or with a quoted note.
    fn good_lines(blocks: usize, quoted: bool) -> Vec<String> {
        let mut lines = Vec::new();
        let mut bytes = 0;
        let mut day = 0u32;
        while bytes < blocks * BLOCK {
            let (i, n) = (day / 3000, day % 3000);
            let (y, m, d) = (1950 + n / 336, n / 28 % 12 + 1, n % 28 + 1);
            let note = if quoted { format!("\"catatan, {day}\"") } else { format!("catatan {day}") };
            let line = format!("i{i},{y}-{m:02}-{d:02},{day},,,{note}\n");
            bytes += line.len();
            lines.push(line);
            day += 1;
        }
        lines
    }

    /// Bad rows of every kind in the first block, at a block's end, at the next block's start,
    /// in the middle and at the end of the file; a duplicate across blocks; more problems than
    /// are shown: the streaming reader gives the cell-by-cell reader's diagnostics, in the same
    /// order, from one pass, whatever block each row falls in.
    #[test]
    fn a_bad_row_in_any_block_gives_the_cell_by_cell_diagnostics() {
        let dir = tempfile::tempdir().unwrap();
        let header = "indicator,period,value,area,source,note\n";
        for quoted in [false, true] {
            let lines = good_lines(4, quoted);
            // The line that ends the first block, and the one after it.
            let mut at = header.len();
            let boundary = lines
                .iter()
                .position(|l| {
                    at += l.len();
                    at > BLOCK
                })
                .unwrap();
            let bad = [
                "x,2023-13,1,,,\n",
                "x,2023,1 ton,,,\n",
                ",2023,1,,,\n",
                "x,2023,1,,\n",
                "x,2023,1,,,,\n",
                "x,2023,Rp 5.000,,,\n",
            ];
            for (k, bad) in bad.iter().enumerate() {
                for place in [0, boundary - 1, boundary, boundary + 1, lines.len() / 2, lines.len() - 1] {
                    let mut lines = lines.clone();
                    lines[place] = bad.to_string();
                    // A duplicate of the second or third row, three blocks on.
                    let (source, last) = (1 + k % 2, lines.len() - 2);
                    lines[last] = lines[source].clone();
                    let path = write(dir.path(), "o.csv", format!("{header}{}", lines.concat()).as_bytes(), None);
                    let (diagnostics, duplicates) = agree(&path);
                    assert!(!diagnostics.is_empty(), "{bad:?} at {place}");
                    assert!(
                        diagnostics[0].contains(&format!("line: Some({})", place + 2)),
                        "{bad:?} at {place}: {diagnostics:?}"
                    );
                    assert_eq!(duplicates, vec![(last as u32 + 2, source as u32 + 2)], "{bad:?} at {place}");
                }
            }
            // Every 300th row bad: more than twenty problems, over every block.
            let mut lines = lines;
            for i in (5..lines.len()).step_by(300) {
                lines[i] = bad[i / 300 % bad.len()].to_string();
            }
            let path = write(dir.path(), "o.csv", format!("{header}{}", lines.concat()).as_bytes(), None);
            let (diagnostics, _) = agree(&path);
            assert_eq!(diagnostics.len(), 21, "{diagnostics:?}");
            assert!(diagnostics[20].contains("more problems in this file are not shown"), "{:?}", diagnostics[20]);
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
