//! Server functions, thin: check the caller, call `server::*`, map errors.
pub mod account;
pub mod audit;
pub mod buckets;
pub mod checks;
pub mod cost_rates;
pub mod cost_scenarios;
pub mod costs;
pub mod dashboard;
pub mod env_merge;
pub mod hosts;
pub mod inventory;
pub mod jobs;
pub mod mail;
pub mod network;
pub mod runbooks;
pub mod secrets;
pub mod services;
pub mod session;
pub mod ssh;
pub mod totp;
pub mod tuning;
pub mod users;

/// The least role each server function needs. The router refuses a server function
/// missing here (fail closed) before its arguments are read, and every function checks
/// its role again itself.
/// Server functions a user who must still enrol a second factor may call.
#[cfg(feature = "ssr")]
pub fn allowed_before_enrolment(path: &str) -> bool {
    use leptos::server_fn::ServerFn;
    [
        session::GetCurrentUser::PATH,
        account::GetAccount::PATH,
        account::ChangePassword::PATH,
        account::RevokeSession::PATH,
        totp::GetTotpEnrolment::PATH,
        totp::EnableTotp::PATH,
    ]
    .contains(&path)
}

#[cfg(feature = "ssr")]
pub fn required_role(path: &str) -> Option<crate::model::user::Role> {
    use crate::model::user::Role::{Admin, Operator, Viewer};
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
        (services::ListServices::PATH, Viewer),
        (services::ListHostServices::PATH, Viewer),
        (services::GetService::PATH, Viewer),
        (services::GetServiceForm::PATH, Admin),
        (services::CreateService::PATH, Admin),
        (services::UpdateService::PATH, Admin),
        (services::DeleteService::PATH, Admin),
        (services::GetDeleteService::PATH, Admin),
        (buckets::ListBuckets::PATH, Viewer),
        (buckets::GetBucket::PATH, Viewer),
        (buckets::GetBucketForm::PATH, Admin),
        (buckets::CreateBucket::PATH, Admin),
        (buckets::UpdateBucket::PATH, Admin),
        (buckets::DeleteBucket::PATH, Admin),
        (buckets::GetDeleteBucket::PATH, Admin),
        (buckets::GetBucketUserForm::PATH, Admin),
        (buckets::AddBucketUser::PATH, Admin),
        (buckets::RemoveBucketUser::PATH, Admin),
        (mail::ListMailDomains::PATH, Viewer),
        (mail::GetMailDomain::PATH, Viewer),
        (mail::GetMailForm::PATH, Admin),
        (mail::CreateMailDomain::PATH, Admin),
        (mail::UpdateMailDomain::PATH, Admin),
        (mail::DeleteMailDomain::PATH, Admin),
        (mail::GetDeleteMailDomain::PATH, Admin),
        (audit::ListAudit::PATH, Viewer),
        (costs::GetCosts::PATH, Viewer),
        (costs::SetCostMonth::PATH, Admin),
        (costs::AddInvoice::PATH, Admin),
        (costs::ImportInvoices::PATH, Admin),
        (costs::GetPlans::PATH, Viewer),
        (costs::GetPlanForm::PATH, Admin),
        (costs::SavePlan::PATH, Admin),
        (costs::DeletePlan::PATH, Admin),
        (costs::GetHostCosts::PATH, Viewer),
        (costs::ChangeHostPlan::PATH, Admin),
        (costs::AddHostCharge::PATH, Admin),
        (cost_rates::SetCostRate::PATH, Admin),
        (cost_rates::SetReportingCurrency::PATH, Admin),
        (cost_scenarios::ListScenarios::PATH, Viewer),
        (cost_scenarios::CreateScenario::PATH, Admin),
        (cost_scenarios::GetScenario::PATH, Viewer),
        (cost_scenarios::AddScenarioHost::PATH, Admin),
        (cost_scenarios::RemoveScenarioHost::PATH, Admin),
        (cost_scenarios::RenameScenario::PATH, Admin),
        (cost_scenarios::DeleteScenario::PATH, Admin),
        (inventory::GetInventory::PATH, Viewer),
        (inventory::PreviewImport::PATH, Admin),
        (inventory::GetImport::PATH, Admin),
        (inventory::ApplyImport::PATH, Admin),
        (inventory::DiscardImport::PATH, Admin),
        (network::GetNetwork::PATH, Viewer),
        (network::GetMeshNode::PATH, Viewer),
        (network::SaveMeshNode::PATH, Admin),
        (network::GenerateMeshKey::PATH, Admin),
        (network::GetTunnelForm::PATH, Admin),
        (network::CreateTunnel::PATH, Admin),
        (network::GetDeleteTunnel::PATH, Admin),
        (network::DeleteTunnel::PATH, Admin),
        (network::GetTopology::PATH, Viewer),
        (checks::GetChecks::PATH, Viewer),
        (checks::CheckEnv::PATH, Viewer),
        (checks::ReadLiveState::PATH, Operator),
        (jobs::ListJobs::PATH, Viewer),
        (jobs::GetJob::PATH, Viewer),
        (jobs::GetNewJobForm::PATH, Operator),
        (jobs::StartJob::PATH, Operator),
        (jobs::CancelJob::PATH, Operator),
        (tuning::GetTuning::PATH, Viewer),
        (tuning::ApplyInstance::PATH, Operator),
        (tuning::RemoveInstance::PATH, Operator),
        (tuning::InstallUnitTemplates::PATH, Operator),
        (tuning::SaveTuningSettings::PATH, Admin),
        (env_merge::GetEnvMerge::PATH, Operator),
        (env_merge::MergeEnv::PATH, Operator),
        (runbooks::GetRunbooks::PATH, Viewer),
        (runbooks::ImportRunbook::PATH, Admin),
        (runbooks::GetRunbook::PATH, Viewer),
        (runbooks::UpdateRunbook::PATH, Admin),
        (runbooks::CopyRunbook::PATH, Admin),
        (runbooks::GetDeleteRunbook::PATH, Admin),
        (runbooks::DeleteRunbook::PATH, Admin),
        (runbooks::GetStartForm::PATH, Operator),
        (runbooks::StartRun::PATH, Operator),
        (runbooks::ListRuns::PATH, Viewer),
        (runbooks::GetRun::PATH, Viewer),
        (runbooks::GetRunVersion::PATH, Viewer),
        (runbooks::ActOnStep::PATH, Operator),
        (secrets::ListSecrets::PATH, Admin),
        (secrets::GetSecretForm::PATH, Admin),
        (secrets::CreateSecret::PATH, Admin),
        (secrets::UpdateSecret::PATH, Admin),
        (secrets::DeleteSecret::PATH, Admin),
        (secrets::GetDeleteSecret::PATH, Admin),
        (ssh::GetSshIdentities::PATH, Admin),
        (ssh::GenerateSshIdentity::PATH, Admin),
        (ssh::ImportSshIdentity::PATH, Admin),
        (ssh::GetHostSsh::PATH, Viewer),
        (ssh::SetHostIdentity::PATH, Admin),
        (ssh::FetchHostKey::PATH, Admin),
        (ssh::AcceptHostKey::PATH, Admin),
        (ssh::GetKnownHostsImport::PATH, Admin),
        (ssh::ImportKnownHosts::PATH, Admin),
        (users::ListUsers::PATH, Admin),
        (users::GetUser::PATH, Admin),
        (users::GetNewUserForm::PATH, Admin),
        (users::CreateUser::PATH, Admin),
        (users::UpdateUser::PATH, Admin),
        (users::ResetPassword::PATH, Admin),
        (users::RevokeUserSessions::PATH, Admin),
        (account::GetAccount::PATH, Viewer),
        (account::ChangePassword::PATH, Viewer),
        (account::RevokeSession::PATH, Viewer),
        (totp::GetTotpEnrolment::PATH, Viewer),
        (totp::EnableTotp::PATH, Viewer),
        (totp::DisableTotp::PATH, Viewer),
        (totp::ResetUserTotp::PATH, Admin),
        (totp::GetSettings::PATH, Admin),
        (totp::UpdateSettings::PATH, Admin),
    ];
    table.iter().find(|(p, _)| *p == path).map(|(_, role)| *role)
}
