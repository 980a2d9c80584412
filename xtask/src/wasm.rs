//! Just enough of the wasm binary format to tell whether wasm-opt really ran.
//!
//! wasm-bindgen's output keeps a `name` custom section (function names); `wasm-opt -Oz` without `-g`
//! drops it and shrinks the code. A module that still has `name`, or did not shrink, was not optimised.

pub struct Optimisation {
    pub before: usize,
    pub after: usize,
    pub name_section_removed: bool,
}

/// The smallest shrink we accept from `-Oz` on a Leptos module (measured: 25–40 %).
const MIN_SHRINK_PERCENT: usize = 5;

pub fn check_optimised(before: &[u8], after: &[u8]) -> Result<Optimisation, String> {
    let names_after = custom_sections(after)?;
    let result = Optimisation { before: before.len(), after: after.len(), name_section_removed: !names_after.iter().any(|n| n == "name") };
    if !result.name_section_removed {
        return Err("the wasm still has its `name` section: wasm-opt did not optimise it".into());
    }
    if after.len() * 100 > before.len() * (100 - MIN_SHRINK_PERCENT) {
        return Err(format!("wasm-opt shrank the module only from {} to {} bytes: it was not optimised", before.len(), after.len()));
    }
    Ok(result)
}

/// Names of the custom sections (id 0) of a wasm module, in order.
pub fn custom_sections(module: &[u8]) -> Result<Vec<String>, String> {
    if module.len() < 8 || &module[..4] != b"\0asm" {
        return Err("not a wasm module".into());
    }
    let mut pos = 8;
    let mut names = Vec::new();
    while pos < module.len() {
        let id = module[pos];
        pos += 1;
        let size = leb128(module, &mut pos)? as usize;
        let end = pos.checked_add(size).filter(|&e| e <= module.len()).ok_or("section runs past the end")?;
        if id == 0 {
            let mut p = pos;
            let len = leb128(module, &mut p)? as usize;
            let name = module.get(p..p + len).ok_or("custom section name runs past the end")?;
            names.push(String::from_utf8_lossy(name).into_owned());
        }
        pos = end;
    }
    Ok(names)
}

/// The bytes of all data segments (strings and other constants) of a wasm module.
pub fn data_bytes(module: &[u8]) -> Result<u64, String> {
    if module.len() < 8 || &module[..4] != b"\0asm" {
        return Err("not a wasm module".into());
    }
    let mut pos = 8;
    let mut total = 0;
    while pos < module.len() {
        let id = module[pos];
        pos += 1;
        let size = leb128(module, &mut pos)? as usize;
        let end = pos.checked_add(size).filter(|&e| e <= module.len()).ok_or("section runs past the end")?;
        if id == 11 {
            let mut p = pos;
            for _ in 0..leb128(module, &mut p)? {
                let kind = leb128(module, &mut p)?;
                if kind == 2 {
                    leb128(module, &mut p)?; // memory index
                }
                if kind != 1 {
                    // The offset: one constant instruction and `end`.
                    p += 1;
                    leb128(module, &mut p)?;
                    if module.get(p) != Some(&0x0b) {
                        return Err("a data segment's offset is not a constant".into());
                    }
                    p += 1;
                }
                let len = leb128(module, &mut p)?;
                total += len;
                p = p.checked_add(len as usize).filter(|&e| e <= end).ok_or("data segment runs past its section")?;
            }
        }
        pos = end;
    }
    Ok(total)
}

fn leb128(bytes: &[u8], pos: &mut usize) -> Result<u64, String> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*pos).ok_or("truncated LEB128")?;
        *pos += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err("LEB128 too long".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(sections: &[(u8, &[u8])]) -> Vec<u8> {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        for (id, body) in sections {
            m.push(*id);
            m.push(body.len() as u8);
            m.extend_from_slice(body);
        }
        m
    }

    fn custom(name: &str, payload: usize) -> Vec<u8> {
        let mut b = vec![name.len() as u8];
        b.extend_from_slice(name.as_bytes());
        b.extend(std::iter::repeat_n(7u8, payload));
        b
    }

    #[test]
    fn lists_custom_sections() {
        let m = module(&[(1, &[0]), (0, &custom("name", 3)), (0, &custom("producers", 1))]);
        assert_eq!(custom_sections(&m).unwrap(), ["name", "producers"]);
    }

    #[test]
    fn rejects_a_module_that_kept_its_names() {
        let before = module(&[(10, &[1; 100]), (0, &custom("name", 50))]);
        let after = module(&[(10, &[1; 60]), (0, &custom("name", 10))]);
        assert!(check_optimised(&before, &after).is_err());
    }

    #[test]
    fn rejects_a_module_that_did_not_shrink() {
        let before = module(&[(10, &[1; 100]), (0, &custom("name", 50))]);
        // No name section, but as big as before: wasm-opt did not really run.
        let after = module(&[(10, &[1; 160])]);
        assert!(after.len() >= before.len() * 95 / 100);
        assert!(check_optimised(&before, &after).is_err());
    }

    #[test]
    fn accepts_a_smaller_module_without_names() {
        let before = module(&[(10, &[1; 100]), (0, &custom("name", 50))]);
        let after = module(&[(10, &[1; 60])]);
        let o = check_optimised(&before, &after).unwrap();
        assert!(o.name_section_removed && o.after < o.before);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(custom_sections(b"hello").is_err());
        assert!(custom_sections(b"\0asm\x01\0\0\0\0\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff").is_err());
    }
}
