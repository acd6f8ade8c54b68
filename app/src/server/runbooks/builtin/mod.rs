//! The runbooks shipped with Owlery, as TOML files next to this one: loaded (and kept
//! read-only) at startup; "Copy" makes an editable one.

/// Each built-in runbook's TOML file.
pub fn builtin() -> Vec<&'static str> {
    vec![
        include_str!("move-to-cluster.toml"),
        include_str!("add-sidekiq.toml"),
        include_str!("rotate-dkim.toml"),
        include_str!("move-host-plan.toml"),
    ]
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
