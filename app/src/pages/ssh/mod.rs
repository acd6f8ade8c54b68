//! SSH administration pages, for admins: identities (generate, import, list by their
//! public halves) and importing a known_hosts file. A host's own SSH card is in
//! `pages::hosts::ssh_card`.
mod identities;
mod known_hosts;

pub use identities::SshIdentities;
pub use known_hosts::ImportKnownHosts;
