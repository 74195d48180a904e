//! Kazakhstan identifiers: IIN (individuals), BIN (legal entities), KATO (territories).
//!
//! Rule source: KZ_RULES.md §6 (Government decree 406 of 2007-05-22 for the check digit).
//! Types are "parse, don't validate": a value of `Iin` is always a valid IIN.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("must be exactly 12 digits")]
    NotTwelveDigits,
    #[error("the check digit does not match")]
    BadCheckDigit,
    #[error("the birth date part is not a real date")]
    BadDate,
    #[error("the century/sex digit must be 1-6")]
    BadCenturyDigit,
    #[error("the entity type digit must be 4, 5 or 6")]
    BadEntityType,
    #[error("the attribute digit must be 0-3")]
    BadAttribute,
    #[error("must be exactly 9 digits")]
    NotNineDigits,
}

const W1: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const W2: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

fn digits12(s: &str) -> Result<[u32; 12], IdError> {
    let b = s.as_bytes();
    if b.len() != 12 || !b.iter().all(u8::is_ascii_digit) {
        return Err(IdError::NotTwelveDigits);
    }
    let mut d = [0u32; 12];
    for (i, c) in b.iter().enumerate() {
        d[i] = u32::from(c - b'0');
    }
    Ok(d)
}

/// The check digit of the first 11 digits, or None when the algorithm gives 10 twice
/// (such numbers are never issued).
pub fn check_digit(d: &[u32; 12]) -> Option<u32> {
    let sum = |w: &[u32; 11]| d[..11].iter().zip(w).map(|(a, b)| a * b).sum::<u32>() % 11;
    let c = sum(&W1);
    let c = if c == 10 { sum(&W2) } else { c };
    (c != 10).then_some(c)
}

fn verify_check_digit(d: &[u32; 12]) -> Result<(), IdError> {
    match check_digit(d) {
        Some(c) if c == d[11] => Ok(()),
        _ => Err(IdError::BadCheckDigit),
    }
}

/// Individual identification number.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iin(String);

impl Iin {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let d = digits12(s)?;
        let century = match d[6] {
            1 | 2 => 1800,
            3 | 4 => 1900,
            5 | 6 => 2000,
            _ => return Err(IdError::BadCenturyDigit),
        };
        let year = century + (d[0] * 10 + d[1]) as i32;
        let month = d[2] * 10 + d[3];
        let day = d[4] * 10 + d[5];
        chrono::NaiveDate::from_ymd_opt(year, month, day).ok_or(IdError::BadDate)?;
        verify_check_digit(&d)?;
        Ok(Iin(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn birth_date(&self) -> chrono::NaiveDate {
        let d = self.0.as_bytes();
        let n = |i: usize| u32::from(d[i] - b'0');
        let century = match n(6) {
            1 | 2 => 1800,
            3 | 4 => 1900,
            _ => 2000,
        };
        chrono::NaiveDate::from_ymd_opt(
            century + (n(0) * 10 + n(1)) as i32,
            n(2) * 10 + n(3),
            n(4) * 10 + n(5),
        )
        .expect("validated at parse")
    }
    /// Masked for display to people who may know an IIN exists but not its value.
    pub fn masked(&self) -> String {
        format!("{}******{}", &self.0[..4], &self.0[10..])
    }
}

/// Debug never prints the number: an IIN in a log line is a data leak.
impl fmt::Debug for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Iin({})", self.masked())
    }
}

impl TryFrom<String> for Iin {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        Iin::parse(&s)
    }
}
impl From<Iin> for String {
    fn from(v: Iin) -> String {
        v.0
    }
}

/// Business identification number of a legal entity.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Bin(String);

impl Bin {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let d = digits12(s)?;
        if !(1..=12).contains(&(d[2] * 10 + d[3])) {
            return Err(IdError::BadDate);
        }
        if !(4..=6).contains(&d[4]) {
            return Err(IdError::BadEntityType);
        }
        if d[5] > 3 {
            return Err(IdError::BadAttribute);
        }
        verify_check_digit(&d)?;
        Ok(Bin(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
impl TryFrom<String> for Bin {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        Bin::parse(&s)
    }
}
impl From<Bin> for String {
    fn from(v: Bin) -> String {
        v.0
    }
}

/// Classifier of administrative-territorial objects: AB CD EF HIJ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Kato(u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KatoLevel {
    Region,
    District,
    RuralOkrug,
    Settlement,
}

impl Kato {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        if s.len() != 9 || !s.bytes().all(|c| c.is_ascii_digit()) {
            return Err(IdError::NotNineDigits);
        }
        Ok(Kato(s.parse().expect("nine digits")))
    }
    pub fn code(&self) -> String {
        format!("{:09}", self.0)
    }
    pub fn level(&self) -> KatoLevel {
        let v = self.0;
        if v.is_multiple_of(10_000_000) {
            KatoLevel::Region
        } else if v.is_multiple_of(100_000) {
            KatoLevel::District
        } else if v.is_multiple_of(1_000) {
            KatoLevel::RuralOkrug
        } else {
            KatoLevel::Settlement
        }
    }
    pub fn region(&self) -> Kato {
        Kato(self.0 / 10_000_000 * 10_000_000)
    }
    pub fn district(&self) -> Kato {
        Kato(self.0 / 100_000 * 100_000)
    }
    /// The chain from this object up to its region, most specific first.
    pub fn ancestry(&self) -> Vec<Kato> {
        let mut out = vec![*self];
        for k in [Kato(self.0 / 1_000 * 1_000), self.district(), self.region()] {
            if *out.last().unwrap() != k {
                out.push(k);
            }
        }
        out
    }
    /// Whether `self` lies inside `area` (or is it).
    pub fn is_within(&self, area: &Kato) -> bool {
        self.ancestry().contains(area)
    }
}
impl TryFrom<String> for Kato {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        Kato::parse(&s)
    }
}
impl From<Kato> for String {
    fn from(v: Kato) -> String {
        v.code()
    }
}
impl fmt::Display for Kato {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:09}", self.0)
    }
}

/// Builds a valid IIN from a birth date, sex and serial (for demo data and tests).
pub fn make_iin(date: chrono::NaiveDate, female: bool, serial: u32) -> Option<Iin> {
    use chrono::Datelike;
    let century_digit = match date.year() {
        1800..=1899 => 1,
        1900..=1999 => 3,
        2000..=2099 => 5,
        _ => return None,
    } + u32::from(female);
    let prefix = format!(
        "{:02}{:02}{:02}{}{:04}",
        date.year() % 100,
        date.month(),
        date.day(),
        century_digit,
        serial % 10_000
    );
    let mut d = [0u32; 12];
    for (i, c) in prefix.bytes().enumerate() {
        d[i] = u32::from(c - b'0');
    }
    let c = check_digit(&d)?;
    Iin::parse(&format!("{prefix}{c}")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn iin_check_digit_rule_accepts_the_decree_example() {
        let iin = Iin::parse("061211600012");
        // 061211 6 0001 2: 6 = 2000s female; checksum per decree 406.
        assert!(iin.is_ok(), "{iin:?}");
        assert_eq!(
            iin.unwrap().birth_date(),
            chrono::NaiveDate::from_ymd_opt(2006, 12, 11).unwrap()
        );
    }

    #[test]
    fn iin_check_digit_rule_rejects_a_wrong_check_digit() {
        assert_eq!(Iin::parse("061211600013"), Err(IdError::BadCheckDigit));
    }

    #[test]
    fn iin_check_digit_rule_uses_second_weights_when_first_sum_is_ten() {
        // Find a prefix whose first weighted sum is 10 and confirm the second pass decides.
        let mut found = false;
        for serial in 0..10_000u32 {
            let prefix = format!("900101300{serial:04}");
            let prefix = &prefix[..11];
            let mut d = [0u32; 12];
            for (i, c) in prefix.bytes().enumerate() {
                d[i] = u32::from(c - b'0');
            }
            let s1: u32 = d[..11].iter().zip(W1).map(|(a, b)| a * b).sum::<u32>() % 11;
            if s1 == 10 {
                let s2: u32 = d[..11].iter().zip(W2).map(|(a, b)| a * b).sum::<u32>() % 11;
                if s2 != 10 {
                    assert!(Iin::parse(&format!("{prefix}{s2}")).is_ok());
                    found = true;
                    break;
                }
            }
        }
        assert!(found);
    }

    #[test]
    fn iin_rejects_non_digits_wrong_length_and_impossible_dates() {
        assert_eq!(Iin::parse("06121160001"), Err(IdError::NotTwelveDigits));
        assert_eq!(Iin::parse("06121160001a"), Err(IdError::NotTwelveDigits));
        assert_eq!(Iin::parse("061311600012"), Err(IdError::BadDate));
        assert_eq!(Iin::parse("061211700012"), Err(IdError::BadCenturyDigit));
    }

    #[test]
    fn iin_debug_never_shows_the_number() {
        let iin = Iin::parse("061211600012").unwrap();
        assert!(!format!("{iin:?}").contains("061211600012"));
    }

    #[test]
    fn bin_structure_rule_type_and_attribute_digits() {
        // Construct valid BINs: YYMM, type 4, attribute 0, serial, check.
        let mut ok = 0;
        for serial in 0..200u32 {
            let prefix = format!("050440{serial:05}");
            let mut d = [0u32; 12];
            for (i, c) in prefix.bytes().enumerate() {
                d[i] = u32::from(c - b'0');
            }
            if let Some(c) = check_digit(&d) {
                assert!(Bin::parse(&format!("{prefix}{c}")).is_ok());
                ok += 1;
            }
        }
        assert!(ok > 150);
        assert_eq!(Bin::parse("050470000011"), Err(IdError::BadEntityType));
        assert_eq!(Bin::parse("050444000011"), Err(IdError::BadAttribute));
    }

    #[test]
    fn kato_levels_and_ancestry_follow_the_example() {
        let village = Kato::parse("611633100").unwrap();
        assert_eq!(village.level(), KatoLevel::Settlement);
        let codes: Vec<String> = village.ancestry().iter().map(Kato::code).collect();
        assert_eq!(codes, ["611633100", "611633000", "611600000", "610000000"]);
        assert_eq!(Kato::parse("610000000").unwrap().level(), KatoLevel::Region);
        assert_eq!(
            Kato::parse("611600000").unwrap().level(),
            KatoLevel::District
        );
        assert!(village.is_within(&Kato::parse("610000000").unwrap()));
        assert!(!village.is_within(&Kato::parse("750000000").unwrap()));
        assert_eq!(Kato::parse("61000000"), Err(IdError::NotNineDigits));
    }

    /// What `Bin::parse` must say of prefix + a deliberately wrong check digit.
    fn bin_err(prefix: &str) -> Option<IdError> {
        let mut d = [0u32; 12];
        for (i, c) in prefix.bytes().enumerate() {
            d[i] = u32::from(c - b'0');
        }
        let wrong = (check_digit(&d).unwrap_or(0) + 1) % 10;
        Bin::parse(&format!("{prefix}{wrong}")).err()
    }

    #[test]
    fn bin_check_digit_rule_rejects_a_wrong_check_digit() {
        assert_eq!(bin_err("05045300001"), Some(IdError::BadCheckDigit));
    }

    proptest! {
        #[test]
        fn made_iins_always_parse(days in 0i64..60_000, female: bool, serial in 0u32..10_000) {
            let date = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
            if let Some(iin) = make_iin(date, female, serial) {
                prop_assert_eq!(iin.birth_date(), date);
            }
        }

        #[test]
        fn only_the_computed_check_digit_is_accepted(days in 0i64..60_000, serial in 0u32..10_000, other in 0u32..10) {
            let date = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
            if let Some(iin) = make_iin(date, false, serial) {
                let s = iin.as_str();
                let good = u32::from(s.as_bytes()[11] - b'0');
                let changed = format!("{}{}", &s[..11], other);
                prop_assert_eq!(Iin::parse(&changed).is_ok(), other == good);
            }
        }
    }
}
