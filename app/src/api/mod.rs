//! Server functions, thin: check the caller, call `server::*`, map errors.
pub mod dashboard;
pub mod hosts;
pub mod session;

/// The least role each server function needs. The router refuses a server function
/// missing here (fail closed) before its arguments are read, and every function checks
/// its role again itself.
#[cfg(feature = "ssr")]
pub fn required_role(path: &str) -> Option<crate::model::user::Role> {
    use crate::model::user::Role::{Admin, Viewer};
    use leptos::server_fn::ServerFn;
    let table = [
        (session::GetCurrentUser::PATH, Viewer),
        (dashboard::GetDashboard::PATH, Viewer),
        (hosts::ListHosts::PATH, Viewer),
        (hosts::GetHost::PATH, Viewer),
        (hosts::GetHostForm::PATH, Admin),
        (hosts::CreateHost::PATH, Admin),
        (hosts::UpdateHost::PATH, Admin),
        (hosts::DeleteHost::PATH, Admin),
        (hosts::GetDeleteHost::PATH, Admin),
    ];
    table.iter().find(|(p, _)| *p == path).map(|(_, role)| *role)
}
