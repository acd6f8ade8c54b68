//! The role matrix: every server function and every page, tried as anonymous, viewer,
//! operator and admin. A server function or page missing from the tables below fails.
use crate::common;

use app::model::user::Role;
use app::App;
use common::spawn;
use leptos::server_fn::axum::server_fn_paths;
use reqwest::StatusCode;

/// Server functions by name (the path without its hash suffix) and the least role.
const SERVER_FNS: &[(&str, Role)] = &[
    ("get_current_user", Role::Viewer),
    ("get_dashboard", Role::Viewer),
    ("list_hosts", Role::Viewer),
    ("get_host", Role::Viewer),
    ("get_host_form", Role::Admin),
    ("create_host", Role::Admin),
    ("update_host", Role::Admin),
    ("delete_host", Role::Admin),
    ("get_delete_host", Role::Admin),
    ("list_services", Role::Viewer),
    ("list_host_services", Role::Viewer),
    ("get_service", Role::Viewer),
    ("get_service_form", Role::Admin),
    ("create_service", Role::Admin),
    ("update_service", Role::Admin),
    ("delete_service", Role::Admin),
    ("get_delete_service", Role::Admin),
    ("list_buckets", Role::Viewer),
    ("get_bucket", Role::Viewer),
    ("get_bucket_form", Role::Admin),
    ("create_bucket", Role::Admin),
    ("update_bucket", Role::Admin),
    ("delete_bucket", Role::Admin),
    ("get_delete_bucket", Role::Admin),
    ("get_bucket_user_form", Role::Admin),
    ("add_bucket_user", Role::Admin),
    ("remove_bucket_user", Role::Admin),
    ("list_mail_domains", Role::Viewer),
    ("get_mail_domain", Role::Viewer),
    ("get_mail_form", Role::Admin),
    ("create_mail_domain", Role::Admin),
    ("update_mail_domain", Role::Admin),
    ("delete_mail_domain", Role::Admin),
    ("get_delete_mail_domain", Role::Admin),
    ("list_secrets", Role::Admin),
    ("get_secret_form", Role::Admin),
    ("create_secret", Role::Admin),
    ("update_secret", Role::Admin),
    ("delete_secret", Role::Admin),
    ("get_delete_secret", Role::Admin),
    ("get_ssh_identities", Role::Admin),
    ("generate_ssh_identity", Role::Admin),
    ("import_ssh_identity", Role::Admin),
    ("get_host_ssh", Role::Viewer),
    ("set_host_identity", Role::Admin),
    ("fetch_host_key", Role::Admin),
    ("accept_host_key", Role::Admin),
    ("get_known_hosts_import", Role::Admin),
    ("import_known_hosts", Role::Admin),
    ("list_audit", Role::Viewer),
    ("get_costs", Role::Viewer),
    ("set_cost_month", Role::Admin),
    ("add_invoice", Role::Admin),
    ("import_invoices", Role::Admin),
    ("get_plans", Role::Viewer),
    ("get_plan_form", Role::Admin),
    ("save_plan", Role::Admin),
    ("delete_plan", Role::Admin),
    ("get_host_costs", Role::Viewer),
    ("change_host_plan", Role::Admin),
    ("add_host_charge", Role::Admin),
    ("set_cost_rate", Role::Admin),
    ("set_reporting_currency", Role::Admin),
    ("list_scenarios", Role::Viewer),
    ("create_scenario", Role::Admin),
    ("get_scenario", Role::Viewer),
    ("add_scenario_host", Role::Admin),
    ("remove_scenario_host", Role::Admin),
    ("rename_scenario", Role::Admin),
    ("delete_scenario", Role::Admin),
    ("get_inventory", Role::Viewer),
    ("preview_import", Role::Admin),
    ("get_import", Role::Admin),
    ("apply_import", Role::Admin),
    ("discard_import", Role::Admin),
    ("get_network", Role::Viewer),
    ("get_mesh_node", Role::Viewer),
    ("save_mesh_node", Role::Admin),
    ("generate_mesh_key", Role::Admin),
    ("get_tunnel_form", Role::Admin),
    ("create_tunnel", Role::Admin),
    ("get_delete_tunnel", Role::Admin),
    ("delete_tunnel", Role::Admin),
    ("get_topology", Role::Viewer),
    ("get_checks", Role::Viewer),
    ("check_env", Role::Viewer),
    ("read_live_state", Role::Operator),
    ("list_jobs", Role::Viewer),
    ("get_job", Role::Viewer),
    ("get_new_job_form", Role::Operator),
    ("start_job", Role::Operator),
    ("cancel_job", Role::Operator),
    ("get_runbooks", Role::Viewer),
    ("import_runbook", Role::Admin),
    ("get_runbook", Role::Viewer),
    ("update_runbook", Role::Admin),
    ("copy_runbook", Role::Admin),
    ("get_delete_runbook", Role::Admin),
    ("delete_runbook", Role::Admin),
    ("get_start_form", Role::Operator),
    ("start_run", Role::Operator),
    ("list_runs", Role::Viewer),
    ("get_run", Role::Viewer),
    ("get_run_version", Role::Viewer),
    ("act_on_step", Role::Operator),
    ("get_tuning", Role::Viewer),
    ("apply_instance", Role::Operator),
    ("remove_instance", Role::Operator),
    ("install_unit_templates", Role::Operator),
    ("save_tuning_settings", Role::Admin),
    ("get_env_merge", Role::Operator),
    ("merge_env", Role::Operator),
    ("list_users", Role::Admin),
    ("get_user", Role::Admin),
    ("get_new_user_form", Role::Admin),
    ("create_user", Role::Admin),
    ("update_user", Role::Admin),
    ("reset_password", Role::Admin),
    ("revoke_user_sessions", Role::Admin),
    ("get_account", Role::Viewer),
    ("change_password", Role::Viewer),
    ("revoke_session", Role::Viewer),
    ("get_totp_enrolment", Role::Viewer),
    ("enable_totp", Role::Viewer),
    ("disable_totp", Role::Viewer),
    ("reset_user_totp", Role::Admin),
    ("get_settings", Role::Admin),
    ("update_settings", Role::Admin),
];

/// Pages (route patterns) and the least role that sees them; None means public.
const PAGES: &[(&str, Option<Role>)] = &[
    ("/login", None),
    ("/setup", None),
    ("/", Some(Role::Viewer)),
    ("/hosts", Some(Role::Viewer)),
    ("/hosts/new", Some(Role::Admin)),
    ("/hosts/:name", Some(Role::Viewer)),
    ("/hosts/:name/edit", Some(Role::Admin)),
    ("/hosts/:name/delete", Some(Role::Admin)),
    ("/hosts/:name/tuning", Some(Role::Viewer)),
    ("/services", Some(Role::Viewer)),
    ("/services/new", Some(Role::Admin)),
    ("/services/:name", Some(Role::Viewer)),
    ("/services/:name/edit", Some(Role::Admin)),
    ("/services/:name/delete", Some(Role::Admin)),
    ("/buckets", Some(Role::Viewer)),
    ("/buckets/new", Some(Role::Admin)),
    ("/buckets/:bucket", Some(Role::Viewer)),
    ("/buckets/:bucket/edit", Some(Role::Admin)),
    ("/buckets/:bucket/delete", Some(Role::Admin)),
    ("/buckets/:bucket/users/new", Some(Role::Admin)),
    ("/mail", Some(Role::Viewer)),
    ("/mail/new", Some(Role::Admin)),
    ("/mail/:domain", Some(Role::Viewer)),
    ("/mail/:domain/edit", Some(Role::Admin)),
    ("/mail/:domain/delete", Some(Role::Admin)),
    ("/settings/secrets", Some(Role::Admin)),
    ("/settings/secrets/new", Some(Role::Admin)),
    ("/settings/secrets/:name", Some(Role::Admin)),
    ("/settings/secrets/:name/delete", Some(Role::Admin)),
    ("/settings/ssh", Some(Role::Admin)),
    ("/settings/ssh/known-hosts", Some(Role::Admin)),
    ("/audit", Some(Role::Viewer)),
    ("/costs", Some(Role::Viewer)),
    ("/costs/plans", Some(Role::Viewer)),
    ("/costs/plans/:id", Some(Role::Admin)),
    ("/costs/hosts/:name", Some(Role::Viewer)),
    ("/costs/scenarios", Some(Role::Viewer)),
    ("/costs/scenarios/:id", Some(Role::Viewer)),
    ("/inventory", Some(Role::Viewer)),
    ("/inventory/imports/:id", Some(Role::Admin)),
    ("/network", Some(Role::Viewer)),
    ("/network/:name", Some(Role::Viewer)),
    ("/network/:name/tunnels/new", Some(Role::Admin)),
    ("/network/:name/tunnels/delete", Some(Role::Admin)),
    ("/topology", Some(Role::Viewer)),
    ("/checks", Some(Role::Viewer)),
    ("/jobs", Some(Role::Viewer)),
    ("/jobs/new", Some(Role::Operator)),
    ("/jobs/:id", Some(Role::Viewer)),
    ("/runbooks", Some(Role::Viewer)),
    ("/runbooks/:slug", Some(Role::Viewer)),
    ("/runbooks/:slug/start", Some(Role::Operator)),
    ("/runbooks/:slug/delete", Some(Role::Admin)),
    ("/runs", Some(Role::Viewer)),
    ("/runs/:id", Some(Role::Viewer)),
    ("/runs/:id/env-merge", Some(Role::Operator)),
    ("/login/totp", None),
    ("/account", Some(Role::Viewer)),
    ("/settings", Some(Role::Admin)),
    ("/settings/users", Some(Role::Admin)),
    ("/settings/users/new", Some(Role::Admin)),
    ("/settings/users/:name", Some(Role::Admin)),
];

fn fn_name(path: &str) -> &str {
    path.trim_start_matches("/api/")
        .trim_end_matches(|c: char| c.is_ascii_digit())
}

fn expected_fn_role(path: &str) -> Role {
    let name = fn_name(path);
    SERVER_FNS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, r)| *r)
        .unwrap_or_else(|| panic!("server function {name} is missing from the role matrix"))
}

#[tokio::test]
async fn every_server_function_is_refused_below_its_role_and_allowed_from_it() {
    let app = spawn().await;
    let mut users = Vec::new();
    for role in Role::ALL {
        let client = common::client();
        app.add_user(role.as_str(), role).await;
        let res = client
            .post(app.url("/auth/login"))
            .form(&[("username", role.as_str()), ("password", common::PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        users.push((role, client));
    }
    let paths: Vec<_> = server_fn_paths().collect();
    assert_eq!(
        paths.len(),
        SERVER_FNS.len(),
        "the matrix and the registered functions differ"
    );
    for (path, method) in paths {
        let needed = expected_fn_role(path);
        let anonymous = common::client()
            .request(method.clone(), app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "anonymous {path}");
        for (role, client) in &users {
            let res = client
                .request(method.clone(), app.url(path))
                .header("accept", "application/json")
                .send()
                .await
                .unwrap();
            if *role >= needed {
                assert!(
                    !matches!(res.status(), StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN),
                    "{role} refused {path}: {}",
                    res.status()
                );
            } else {
                assert_eq!(res.status(), StatusCode::FORBIDDEN, "{role} allowed {path}");
            }
        }
    }
}

#[tokio::test]
async fn every_page_is_shown_from_its_role_and_refused_below_it() {
    let app = spawn().await;
    app.sign_in_as("seed", Role::Admin).await;
    let form = common::host_form("x");
    let res = app
        .call(
            <app::api::hosts::CreateHost as leptos::server_fn::ServerFn>::PATH,
            &common::as_pairs(&form),
        )
        .await;
    assert!(res.status().is_success());
    // Objects named "x" exist for every route with a `:name`.
    app.add_user("x", Role::Viewer).await;
    let secret = [
        ("secret[name]", "x"),
        ("secret[kind]", "other"),
        ("secret[value]", "v"),
    ];
    let res = app
        .call(
            <app::api::secrets::CreateSecret as leptos::server_fn::ServerFn>::PATH,
            &secret,
        )
        .await;
    assert!(res.status().is_success());
    let service = [
        ("service[name]", "x"),
        ("service[host]", "x"),
        ("service[kind]", "custom"),
        ("service[unit]", "x.service"),
        ("service[listen_addr]", ""),
        ("service[port]", ""),
        ("service[memory_mib]", ""),
        ("service[deps]", ""),
        ("service[notes]", ""),
    ];
    let res = app
        .call(
            <app::api::services::CreateService as leptos::server_fn::ServerFn>::PATH,
            &service,
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let routes = leptos_axum::generate_route_list(App);
    assert_eq!(routes.len(), PAGES.len(), "the matrix and the route list differ");
    for role in Role::ALL {
        let client = common::client();
        app.add_user(&format!("u-{role}"), role).await;
        client
            .post(app.url("/auth/login"))
            .form(&[
                ("username", format!("u-{role}").as_str()),
                ("password", common::PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        for route in &routes {
            let pattern = route
                .path()
                .replace("{name}", ":name")
                .replace("{id}", ":id")
                .replace("{bucket}", ":bucket")
                .replace("{domain}", ":domain")
                .replace("{slug}", ":slug");
            let needed = PAGES
                .iter()
                .find(|(p, _)| *p == pattern)
                .unwrap_or_else(|| panic!("page {pattern} is missing from the role matrix"))
                .1;
            // No job exists: a page with an `:id` shows "not found" to those allowed.
            // No bucket or mail domain exists either: those pages show "not found" too.
            let path = pattern
                .replace(":name", "x")
                .replace(":id", "1")
                .replace(":bucket", "no-such-bucket")
                .replace(":domain", "no.such.example")
                .replace(":slug", "no-such-runbook");
            let shown = if [":id", ":bucket", ":domain", ":slug"]
                .iter()
                .any(|p| pattern.contains(p))
            {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::OK
            };
            let status = client.get(app.url(&path)).send().await.unwrap().status();
            match needed {
                None => assert_eq!(status, StatusCode::OK, "{path}"),
                Some(needed) if role >= needed => assert_eq!(status, shown, "{role} on {path}"),
                Some(_) => assert_eq!(status, StatusCode::FORBIDDEN, "{role} on {path}"),
            }
        }
    }
}
