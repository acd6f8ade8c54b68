//! Where the data lives and how the server is reached.
use anyhow::Context;
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The database file inside the data directory.
pub fn database_path(data: &Path) -> PathBuf {
    data.join("owlery.db")
}

/// Creates the data directory (owner-only) if it does not exist.
pub fn ensure_data_dir(data: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(data).with_context(|| format!("creating data directory {}", data.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(data, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("restricting {}", data.display()))?;
    }
    Ok(())
}

/// Leptos options for serving: the compiled site (wasm, js, css) lives in `site`.
pub fn leptos_options(site: &Path, bind: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(option_env!("LEPTOS_OUTPUT_NAME").unwrap_or("owlery"))
        .site_root(site.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(bind)
        .build()
}
