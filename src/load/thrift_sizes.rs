//! A walk over a parquet footer (Thrift compact protocol) that checks every declared size
//! before polars decodes it.
//!
//! polars' footer decoder reserves memory for a list from the count the list declares: a
//! 1.7 KB file declaring hundreds of millions of schema elements asked for 55 GB, and a failed
//! allocation aborts the process, which no `catch_unwind` contains (the `table` fuzz target's
//! ninth finding). Every element takes at least one byte, so a list, map or string that
//! declares more than the bytes left in the footer is damaged; so is nesting deeper than any
//! real footer. Nothing is decoded here, only skipped.

/// Nesting deeper than this is not a parquet footer (the real one nests a few levels).
const MAX_DEPTH: usize = 64;

/// `Ok` when every size the footer declares fits in it, else why not.
pub fn check_footer(bytes: &[u8]) -> Result<(), String> {
    let mut walk = Walk { bytes, at: 0 };
    walk.structure(0)
}

struct Walk<'a> {
    bytes: &'a [u8],
    at: usize,
}

const TRUNCATED: &str = "its metadata ends in the middle of a value";

impl Walk<'_> {
    fn left(&self) -> usize {
        self.bytes.len().saturating_sub(self.at)
    }

    fn byte(&mut self) -> Result<u8, String> {
        let b = *self.bytes.get(self.at).ok_or(TRUNCATED)?;
        self.at += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..70).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("its metadata has a number longer than ten bytes".into())
    }

    fn skip(&mut self, n: u64) -> Result<(), String> {
        match usize::try_from(n) {
            Ok(n) if n <= self.left() => {
                self.at += n;
                Ok(())
            }
            _ => Err(format!("its metadata declares {n} bytes where {} are left", self.left())),
        }
    }

    /// A declared count of elements of at least `min_bytes` each, checked against what is left.
    fn count(&self, declared: u64, min_bytes: u64) -> Result<u64, String> {
        if declared.saturating_mul(min_bytes) > self.left() as u64 {
            return Err(format!("its metadata declares {declared} entries in {} bytes", self.left()));
        }
        Ok(declared)
    }

    fn structure(&mut self, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err(format!("its metadata nests deeper than {MAX_DEPTH} levels"));
        }
        loop {
            let header = self.byte()?;
            if header == 0 {
                return Ok(());
            }
            if header >> 4 == 0 {
                self.varint()?; // a field id that is not a small delta
            }
            self.value(header & 0x0f, depth)?;
        }
    }

    /// Skips one value of compact type `kind`.
    fn value(&mut self, kind: u8, depth: usize) -> Result<(), String> {
        match kind {
            1 | 2 => Ok(()), // a boolean field carries its value in the type
            3 => self.skip(1),
            4..=6 => self.varint().map(drop),
            7 => self.skip(8),
            8 => {
                let len = self.varint()?;
                self.skip(len)
            }
            9 | 10 => {
                let header = self.byte()?;
                let size = if header >> 4 == 15 { self.varint()? } else { u64::from(header >> 4) };
                let element = header & 0x0f;
                for _ in 0..self.count(size, 1)? {
                    // In a list a boolean is a whole byte.
                    if matches!(element, 1 | 2) { self.skip(1)? } else { self.value(element, depth + 1)? }
                }
                Ok(())
            }
            11 => {
                let size = self.varint()?;
                if size == 0 {
                    return Ok(());
                }
                let types = self.byte()?;
                for _ in 0..self.count(size, 2)? {
                    self.value(types >> 4, depth + 1)?;
                    self.value(types & 0x0f, depth + 1)?;
                }
                Ok(())
            }
            12 => self.structure(depth + 1),
            other => Err(format!("its metadata has a value of unknown type {other}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check_footer;

    #[test]
    fn sizes_that_fit_pass_and_sizes_that_do_not_are_named() {
        // struct { 1: i32 = 2, 2: list<binary> ["ab", "c"], 3: bool true } STOP
        let good = [0x15, 0x04, 0x19, 0x28, 0x02, b'a', b'b', 0x01, b'c', 0x11, 0x00];
        assert_eq!(check_footer(&good), Ok(()));
        // The same list declaring 2^28 strings in 7 bytes.
        let huge = [0x15, 0x04, 0x19, 0xf8, 0x80, 0x80, 0x80, 0x80, 0x01, 0x02, b'a', b'b', 0x00];
        let error = check_footer(&huge).expect_err("a list larger than the footer");
        assert!(error.contains("268435456 entries"), "{error}");
        // A string longer than what is left, a map too large, a truncated number.
        assert!(check_footer(&[0x18, 0x7f, b'a', 0x00]).expect_err("string").contains("127 bytes"));
        assert!(check_footer(&[0x1b, 0x7f, 0x55, 0x00]).expect_err("map").contains("127 entries"));
        assert!(check_footer(&[0x15, 0x80]).is_err());
        // Structs nested beyond any real footer.
        let deep: Vec<u8> = std::iter::repeat_n(0x1c, 100).chain(std::iter::repeat_n(0x00, 101)).collect();
        assert!(check_footer(&deep).expect_err("deep").contains("deeper"));
    }
}
