//! Converts every `policy-data/*.toml` into JSON in OUT_DIR (generically, no schema), so the core
//! can embed the profiles (feature `embedded`) without the `toml` crate at run time (it must stay out of the wasm build).
//! The strict serde parser checks them at run time; a test proves every embedded profile is valid.

#[path = "src/toml_json.rs"]
mod toml_json;

use std::{env, fs, path::PathBuf};

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let data = manifest.join("../../policy-data");
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    println!("cargo:rerun-if-changed=build.rs");
    // Only programs built with the `embedded` feature carry the profiles (the app's wasm does not).
    if env::var_os("CARGO_FEATURE_EMBEDDED").is_none() {
        return;
    }
    println!("cargo:rerun-if-changed={}", data.display());
    let mut names: Vec<PathBuf> = fs::read_dir(&data)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "toml")).collect())
        .unwrap_or_default();
    names.sort();
    let mut table = String::from(
        "/// (file name, profile as JSON) for every policy-data/*.toml, converted at build time.\npub static EMBEDDED: &[(&str, &str)] = &[\n",
    );
    for p in &names {
        println!("cargo:rerun-if-changed={}", p.display());
        let text = fs::read_to_string(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()));
        let value: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{} is not valid TOML: {e}", p.display()));
        let json = serde_json::to_string_pretty(&toml_json::toml_to_json(value)).expect("json");
        let file = p.file_name().expect("name").to_string_lossy().to_string();
        let json_name = file.replace(".toml", ".json");
        fs::write(out.join(&json_name), json).expect("write json");
        table.push_str(&format!("    ({file:?}, include_str!(concat!(env!(\"OUT_DIR\"), \"/{json_name}\"))),\n"));
    }
    table.push_str("];\n");
    fs::write(out.join("embedded_profiles.rs"), table).expect("write table");
}
