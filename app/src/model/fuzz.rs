//! Property tests over the parsers of the forms that are not hosts: whatever is
//! submitted, they never panic, and every rejection names a field of its form.
use proptest::prelude::*;

use super::audit::AuditQuery;
use super::secret::{SecretInput, SecretValue};
use super::FieldErrors;

fn names_only(errors: &FieldErrors, fields: &[&str]) -> Result<(), TestCaseError> {
    prop_assert!(!errors.is_empty());
    for e in &errors.0 {
        prop_assert!(fields.contains(&e.field.as_str()), "unknown field {}", e.field);
        prop_assert!(!e.message.is_empty());
    }
    Ok(())
}

proptest! {
    #[test]
    fn secret_forms_never_panic_and_name_the_field(
        name in "\\PC{0,70}", kind in "\\PC{0,20}|ssh-private-key|s3-secret-key|wireguard-private-key|smtp-password|other",
        description in "\\PC{0,300}", value in "\\PC{0,200}", version in "\\PC{0,8}|[0-9]{1,4}",
    ) {
        let input = SecretInput { name, kind: kind.clone(), description, value: SecretValue::new(value), version };
        if let Err(errors) = input.parse_new() {
            names_only(&errors, &["name", "kind", "description", "value", "version"])?;
        }
        if let Err(errors) = input.parse_change(&kind) {
            names_only(&errors, &["name", "kind", "description", "value", "version"])?;
        }
    }

    #[test]
    fn audit_filters_never_panic_and_name_the_field(
        user in "\\PC{0,40}", kind in "\\PC{0,20}", object in "\\PC{0,40}", action in "\\PC{0,20}",
        from in "\\PC{0,12}|[0-9]{4}-[0-9]{2}-[0-9]{2}", to in "\\PC{0,12}|[0-9]{4}-[0-9]{2}-[0-9]{2}",
    ) {
        let query = AuditQuery { user, kind, object, action, from, to, before: None, after: None };
        if let Err(errors) = query.parse() {
            names_only(&errors, &["user", "kind", "object", "action", "from", "to"])?;
        }
    }
}
