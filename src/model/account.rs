//! Bank account and card numbers (银行账号 / 卡号 / 存折号).
//!
//! Invariant: an [`Account`] holds ASCII digits only (spaces and dashes are
//! removed on the way in). A Luhn failure is not a reason to refuse a number:
//! many valid passbook and UnionPay numbers fail it.

use std::fmt;

/// A bank account number: digits only.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Account(Box<str>);

impl Account {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A compact key, equal for equal numbers (leading zeros count): the
    /// digits and their count as one integer, for numbers of up to 36
    /// digits; `None` for longer ones.
    pub fn key(&self) -> Option<u128> {
        if self.0.len() > 36 {
            return None;
        }
        let value = self
            .0
            .bytes()
            .fold(0u128, |acc, b| acc * 10 + u128::from(b - b'0'));
        Some(value << 6 | self.0.len() as u128)
    }
}

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a string is not an account number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccountProblem {
    /// Written in scientific notation: Excel turned it into a number.
    Scientific,
    /// Something other than digits, spaces and dashes.
    NotDigits,
    /// Fewer than 6 digits: no bank issues numbers that short.
    TooShort,
}

/// Reads an account number from normalised text: removes spaces and dashes,
/// then requires digits only.
pub fn read(text: &str) -> Result<Account, AccountProblem> {
    if crate::model::idcard::looks_scientific(text.trim()) {
        return Err(AccountProblem::Scientific);
    }
    let digits: std::borrow::Cow<'_, str> = if text.bytes().all(|b| b.is_ascii_digit()) {
        std::borrow::Cow::Borrowed(text)
    } else {
        text.chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect()
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AccountProblem::NotDigits);
    }
    if digits.len() < 6 {
        return Err(AccountProblem::TooShort);
    }
    Ok(Account(digits.into()))
}

/// True when 18 or more digits are zeros from the 16th on: what Excel's
/// 15-significant-digit limit leaves of a long number. Shorter numbers are
/// not judged: a 16- or 17-digit account ending in one or two zeros is
/// common and proves nothing.
pub fn tail_zeroed(digits: &str) -> bool {
    digits.len() >= 18 && digits.as_bytes()[15..].iter().all(|&b| b == b'0')
}

/// The Luhn (mod 10) check over the whole number, check digit last.
pub fn luhn_ok(digits: &str) -> bool {
    luhn_sum(digits.bytes().rev(), false).is_multiple_of(10)
}

/// The Luhn check digit to append to `body`.
pub fn luhn_check_digit(body: &str) -> u8 {
    let sum = luhn_sum(body.bytes().rev(), true);
    b'0' + ((10 - sum % 10) % 10) as u8
}

fn luhn_sum(rev_digits: impl Iterator<Item = u8>, double_first: bool) -> u32 {
    rev_digits
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b.wrapping_sub(b'0'));
            if (i % 2 == 0) == double_first {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn() {
        assert!(luhn_ok("79927398713"));
        assert!(!luhn_ok("79927398710"));
        assert_eq!(luhn_check_digit("7992739871"), b'3');
        let body = "621700123456789012";
        let full = format!("{body}{}", char::from(luhn_check_digit(body)));
        assert!(luhn_ok(&full));
    }

    #[test]
    fn spaces_and_dashes_removed() {
        assert_eq!(
            read("6217 0012-3456").map(|a| a.to_string()),
            Ok("621700123456".into())
        );
        assert_eq!(read("6.21700E+18"), Err(AccountProblem::Scientific));
        assert_eq!(read("62170O12"), Err(AccountProblem::NotDigits));
        assert_eq!(read("123"), Err(AccountProblem::TooShort));
        assert_ne!(
            read("00123456").unwrap().key(),
            read("0123456").unwrap().key()
        );
        assert_eq!(
            read("6217 0012").unwrap().key(),
            read("62170012").unwrap().key()
        );
        assert!(tail_zeroed("6217001234567890000"));
        assert!(!tail_zeroed("6217001234567890001"));
        assert!(!tail_zeroed("6213369727745480"));
        assert!(!tail_zeroed("62133697277454800"));
    }
}
