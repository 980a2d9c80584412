//! 身份证号 (GB 11643-1999) and mobile numbers: as people type them, checked.

use crate::date::Date;

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [u8; 11] = *b"10X98765432";

/// GB 11643-1999 check character (ISO 7064 MOD 11-2) of the first 17 digits.
pub fn id_check_char(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = b.iter().zip(ID_WEIGHTS).map(|(c, w)| u32::from(c - b'0') * w).sum();
    Some(ID_CHECK[(sum % 11) as usize] as char)
}

/// Why an ID number is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdError {
    Length,
    Characters,
    BirthDate,
    CheckDigit,
}

/// An ID number as people type it, in the form it is checked and stored in: full-width digits and
/// letters folded to ASCII (`１２…ｘ`), spaces removed, a final `x` as `X`.
pub fn normalise_id_number(id: &str) -> String {
    id.chars().map(crate::input::fold_width).filter(|c| !c.is_whitespace()).map(|c| if c == 'x' { 'X' } else { c }).collect()
}

/// Validates an 18-character ID number (normalised first, see [`normalise_id_number`]).
pub fn validate_id_number(id: &str) -> Result<Date, IdError> {
    let id = normalise_id_number(id);
    if id.chars().count() != 18 {
        return Err(IdError::Length);
    }
    // Only ASCII from here on, so the byte offsets below are character offsets.
    if !id.is_ascii() {
        return Err(IdError::Characters);
    }
    let (first, last) = id.split_at(17);
    if !first.bytes().all(|c| c.is_ascii_digit()) || !(last.bytes().all(|c| c.is_ascii_digit()) || last == "X") {
        return Err(IdError::Characters);
    }
    let birth = Date::parse_compact(&first[6..14]).map_err(|_| IdError::BirthDate)?;
    if id_check_char(first) != last.chars().next() {
        return Err(IdError::CheckDigit);
    }
    Ok(birth)
}

pub(super) fn id_birth_date(id: &str) -> Option<Date> {
    validate_id_number(id).ok()
}

/// Mobile number: `1[3-9]` then 9 digits (spaces and dashes ignored, `+86` allowed, full-width forms folded).
pub fn is_valid_phone(p: &str) -> bool {
    // Without spaces and dashes, on the stack: a valid number has at most 14 bytes (`+86` and 11 digits),
    // all ASCII.
    let mut buf = [0u8; 14];
    let mut len = 0;
    for c in p.chars().map(crate::input::fold_width).filter(|c| !matches!(c, ' ' | '-')) {
        if !c.is_ascii() || len == buf.len() {
            return false;
        }
        buf[len] = c as u8;
        len += 1;
    }
    let digits = &buf[..len];
    let b = digits.strip_prefix(b"+86").unwrap_or(digits);
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && b.iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_check_digit() {
        // GB 11643-1999 appendix example.
        assert_eq!(id_check_char("11010519491231002"), Some('X'));
        assert!(validate_id_number("11010519491231002X").is_ok());
        assert!(validate_id_number("11010519491231002x").is_ok());
        assert_eq!(validate_id_number("110105194912310021"), Err(IdError::CheckDigit));
        assert_eq!(validate_id_number("110105194902300021"), Err(IdError::BirthDate));
        assert_eq!(validate_id_number("1101051949"), Err(IdError::Length));
        // What Chinese input methods type: full-width digits and ｘ, spaces.
        assert!(validate_id_number("１１０１０５１９４９１２３１００２ｘ").is_ok());
        assert!(validate_id_number(" 110105 19491231 002x ").is_ok());
        assert_eq!(validate_id_number("１１0105194912310021"), Err(IdError::CheckDigit));
        // Multi-byte characters where a digit should be: a plain error, never a panic.
        assert_eq!(validate_id_number("350481197803070张13"), Err(IdError::Characters));
        assert_eq!(validate_id_number("35048119780307001张"), Err(IdError::Characters));
        assert_eq!(validate_id_number("35048119780307001😀"), Err(IdError::Characters));
    }

    #[test]
    fn phone() {
        assert!(is_valid_phone("13812345678"));
        assert!(is_valid_phone("+86 138-1234-5678"));
        assert!(!is_valid_phone("12812345678"));
        assert!(!is_valid_phone("1381234567"));
        assert!(!is_valid_phone("0598-3851238"));
        assert!(is_valid_phone("１３８１２３４５６７８"));
        assert!(!is_valid_phone("138１２３４５６７８😀"));
    }
}
