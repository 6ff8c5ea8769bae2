//! The desktop bench's baseline: the smallest Tauri app, one window showing a static page,
//! built with the same Tauri, profile and machine as Lanyard.

fn main() {
    if let Err(error) = tauri::Builder::default().run(tauri::generate_context!(
        "benches/desktop/hello/tauri.conf.json"
    )) {
        eprintln!("hello-tauri: {error}");
    }
}
