//! Tauri's build step: reads tauri.conf.json (beside the root Cargo.toml) and the
//! capabilities in src-tauri/capabilities/.

fn main() {
    let attributes =
        tauri_build::Attributes::new().capabilities_path_pattern("src-tauri/capabilities/*.json");
    if let Err(error) = tauri_build::try_build(attributes) {
        println!("cargo::error={error:#}");
    }
}
