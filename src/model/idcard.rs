//! Resident identity numbers (公民身份号码, GB 11643).
//!
//! Invariant: an [`IdNumber`] is always 18 characters, 17 ASCII digits and a
//! check character (`0`–`9` or upper-case `X`) that agrees with the first 17,
//! with a real birth date in positions 7–14.

use std::fmt;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// A validated 18-character identity number.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdNumber(Box<str>);

impl IdNumber {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A compact key, equal for equal numbers: the 17 digits and the check
    /// character (`X` = 10) as one integer.
    pub fn key(&self) -> u64 {
        self.0.bytes().fold(0u64, |acc, b| {
            acc * 11 + if b == b'X' { 10 } else { u64::from(b - b'0') }
        })
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The GB 11643 check character for the first 17 digits.
///
/// # Panics
/// Never: non-digit bytes are treated by their low bits, so callers must pass
/// ASCII digits to get a meaningful answer (every caller here does).
pub fn check_char(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d.wrapping_sub(b'0')) * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize]
}

/// Why a string is not a valid identity number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdProblem {
    /// Written in scientific notation (`4.40524E+17`): Excel turned it into a number.
    Scientific,
    /// 16 or more digits whose tail is zeros where a real number has digits:
    /// Excel kept only 15 significant digits.
    DigitsLost,
    /// Not 15 or 18 characters of digits (with an optional final `X`).
    Shape,
    /// Positions 7–14 (or 7–12 of a 15-digit number) are not a real date.
    BirthDate,
    /// The 18th character does not agree with the first 17.
    CheckChar,
}

/// The outcome of reading an identity number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdReading {
    Valid(IdNumber),
    /// A 15-digit first-generation number, upgraded to 18 digits.
    Upgraded {
        from: String,
        to: IdNumber,
    },
    Invalid(IdProblem),
}

/// Reads an identity number from already-normalised text (trimmed, half-width).
///
/// Inner spaces are removed and a lower-case `x` is upper-cased. A 15-digit
/// number is upgraded (insert `19` before the year, compute the check
/// character). Nothing is ever guessed: a number that lost digits stays invalid.
pub fn read(text: &str) -> IdReading {
    let compact: std::borrow::Cow<'_, str> =
        if text.bytes().all(|b| b.is_ascii_digit() || b == b'X') {
            std::borrow::Cow::Borrowed(text)
        } else {
            text.chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| c.to_ascii_uppercase())
                .collect()
        };
    if looks_scientific(&compact) {
        return IdReading::Invalid(IdProblem::Scientific);
    }
    let bytes = compact.as_bytes();
    match bytes.len() {
        18 if bytes[..17].iter().all(u8::is_ascii_digit)
            && (bytes[17].is_ascii_digit() || bytes[17] == b'X') =>
        {
            if check_char(&bytes[..17]) != bytes[17] {
                if bytes[15..].iter().all(|&b| b == b'0') {
                    return IdReading::Invalid(IdProblem::DigitsLost);
                }
                if !valid_birth(&compact[6..14]) {
                    return IdReading::Invalid(IdProblem::BirthDate);
                }
                return IdReading::Invalid(IdProblem::CheckChar);
            }
            if !valid_birth(&compact[6..14]) {
                return IdReading::Invalid(IdProblem::BirthDate);
            }
            IdReading::Valid(IdNumber(compact.into()))
        }
        15 if bytes.iter().all(u8::is_ascii_digit) => {
            let mut upgraded = String::with_capacity(18);
            upgraded.push_str(&compact[..6]);
            upgraded.push_str("19");
            upgraded.push_str(&compact[6..]);
            if !valid_birth(&upgraded[6..14]) {
                return IdReading::Invalid(IdProblem::BirthDate);
            }
            let c = check_char(upgraded.as_bytes());
            upgraded.push(char::from(c));
            IdReading::Upgraded {
                from: compact.into_owned(),
                to: IdNumber(upgraded.into_boxed_str()),
            }
        }
        16 | 17 | 19 | 20
            if bytes.iter().all(u8::is_ascii_digit) && bytes[15..].iter().all(|&b| b == b'0') =>
        {
            IdReading::Invalid(IdProblem::DigitsLost)
        }
        _ => IdReading::Invalid(IdProblem::Shape),
    }
}

/// True for text like `4.40524E+17`, `4.40524e17` or `440524E12`.
pub fn looks_scientific(s: &str) -> bool {
    let Some(pos) = s.bytes().position(|b| b == b'E' || b == b'e') else {
        return false;
    };
    let (mantissa, exp) = (&s[..pos], &s[pos + 1..]);
    let exp = exp.strip_prefix('+').unwrap_or(exp);
    !mantissa.is_empty()
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && mantissa.chars().any(|c| c.is_ascii_digit())
        && !exp.is_empty()
        && exp.chars().all(|c| c.is_ascii_digit())
}

fn valid_birth(yyyymmdd: &str) -> bool {
    let num = |r: std::ops::Range<usize>| yyyymmdd.get(r).and_then(|s| s.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(4..6), num(6..8)) else {
        return false;
    };
    (1900..=2099).contains(&y) && chrono::NaiveDate::from_ymd_opt(y as i32, m, d).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_char_matches_the_standard_example() {
        // GB 11643-1999 Annex example.
        assert_eq!(check_char(b"11010519491231002"), b'X');
        assert_eq!(check_char(b"44052418800101001"), b'4');
    }

    #[test]
    fn valid_and_lower_case_x() {
        assert_eq!(
            read("11010519491231002x"),
            IdReading::Valid(IdNumber("11010519491231002X".into()))
        );
        assert_eq!(
            read(" 440524188001010014 "),
            IdReading::Invalid(IdProblem::BirthDate)
        );
    }

    #[test]
    fn wrong_check_char() {
        assert_eq!(
            read("110105194912310021"),
            IdReading::Invalid(IdProblem::CheckChar)
        );
    }

    #[test]
    fn fifteen_digits_are_upgraded() {
        match read("110105491231002") {
            IdReading::Upgraded { to, .. } => assert_eq!(to.as_str(), "11010519491231002X"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn excel_damage_is_named_not_repaired() {
        assert_eq!(
            read("1.10105E+17"),
            IdReading::Invalid(IdProblem::Scientific)
        );
        assert_eq!(
            read("110105194912310000"),
            IdReading::Invalid(IdProblem::DigitsLost)
        );
        assert_eq!(read("abc"), IdReading::Invalid(IdProblem::Shape));
        assert_eq!(
            read("110105199902300016"),
            IdReading::Invalid(IdProblem::BirthDate)
        );
    }
}
