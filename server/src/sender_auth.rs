//! Whether an incoming message really comes from its sender's domain: a DKIM signature of that
//! domain that the server verifies itself (`mail-auth`), or an `Authentication-Results` header
//! of the trusted MTA (`--trusted-authserv-id`) saying `dkim=pass` or `spf=pass` for it.
//!
//! Mail from a staff address acts as staff only when this holds; a forged `From:` is enough to
//! name a member of staff, but not to speak as one.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::Instant;

use mail_auth::common::parse::TxtRecordParser;
use mail_auth::common::verify::DomainKey;
use mail_auth::{AuthenticatedMessage, DkimResult, MessageAuthenticator, Parameters, Txt};

/// DNS TXT answers (DKIM keys) remembered until their TTL ends.
#[derive(Default)]
pub struct TxtCache(Mutex<HashMap<String, (Txt, Instant)>>);

impl mail_auth::ResolverCache<String, Txt> for TxtCache {
    fn get<Q>(&self, name: &Q) -> Option<Txt>
    where
        String: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let map = self.0.lock().unwrap_or_else(|poison| poison.into_inner());
        let (value, until) = map.get(name)?;
        (*until > Instant::now()).then(|| value.clone())
    }

    fn remove<Q>(&self, name: &Q) -> Option<Txt>
    where
        String: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let mut map = self.0.lock().unwrap_or_else(|poison| poison.into_inner());
        map.remove(name).map(|(value, _)| value)
    }

    fn insert(&self, key: String, value: Txt, valid_until: Instant) {
        let mut map = self.0.lock().unwrap_or_else(|poison| poison.into_inner());
        if map.len() > 10_000 {
            let now = Instant::now();
            map.retain(|_, (_, until)| *until > now);
        }
        map.insert(key, (value, valid_until));
    }
}

/// The verifier of incoming mail's origin.
pub struct SenderAuth {
    resolver: Option<MessageAuthenticator>,
    cache: TxtCache,
    trusted_authserv_id: Option<String>,
}

impl SenderAuth {
    /// A verifier using the system's DNS resolver (none if it cannot be set up: then only the
    /// trusted MTA's results and keys already known count).
    pub fn new(trusted_authserv_id: Option<String>) -> SenderAuth {
        let resolver = MessageAuthenticator::new_system_conf()
            .map_err(|error| tracing::warn!(%error, "no DNS resolver for DKIM verification"))
            .ok();
        SenderAuth {
            resolver,
            cache: TxtCache::default(),
            trusted_authserv_id,
        }
    }

    /// Remembers the DKIM key record `record` (`v=DKIM1; k=…; p=…`) of `selector` at `domain`
    /// for `ttl`, as if DNS had answered it.
    ///
    /// # Errors
    /// A record that is not a DKIM key.
    pub fn remember_key(
        &self,
        selector: &str,
        domain: &str,
        record: &str,
        ttl: std::time::Duration,
    ) -> anyhow::Result<()> {
        let key = DomainKey::parse(record.as_bytes())
            .map_err(|error| anyhow::anyhow!("not a DKIM key record: {error}"))?;
        mail_auth::ResolverCache::insert(
            &self.cache,
            format!("{selector}._domainkey.{domain}.").to_lowercase(),
            Txt::from(key),
            Instant::now() + ttl,
        );
        Ok(())
    }

    /// Whether `raw` is authenticated for the domain of `sender`.
    pub async fn authenticated(&self, raw: &[u8], sender: &str) -> bool {
        let Some((_, domain)) = sender.rsplit_once('@') else {
            return false;
        };
        let domain = domain.to_lowercase();
        if let Some(authserv_id) = &self.trusted_authserv_id
            && trusted_results_pass(raw, authserv_id, &domain)
        {
            return true;
        }
        let Some(resolver) = &self.resolver else {
            return false;
        };
        let Some(message) = AuthenticatedMessage::parse(raw) else {
            return false;
        };
        if message.dkim_headers.is_empty() {
            return false;
        }
        let outputs = resolver
            .verify_dkim(Parameters::new(&message).with_txt_cache(&self.cache))
            .await;
        outputs.iter().any(|output| {
            *output.result() == DkimResult::Pass
                && output
                    .signature()
                    .is_some_and(|signature| aligned(&signature.d.to_lowercase(), &domain))
        })
    }
}

/// Whether the signing domain `signer` vouches for `domain`: the same, or a parent of it.
fn aligned(signer: &str, domain: &str) -> bool {
    domain == signer || domain.ends_with(&format!(".{signer}"))
}

/// The unfolded value of the first header called `name` in the head of `raw`.
fn first_header(raw: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(raw);
    let head = text
        .split("\r\n\r\n")
        .next()
        .and_then(|head| head.split("\n\n").next())
        .unwrap_or_default();
    let mut found: Option<String> = None;
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(value) = found.as_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if found.is_some() {
            break;
        }
        if let Some((header, value)) = line.split_once(':')
            && header.trim().eq_ignore_ascii_case(name)
        {
            found = Some(value.trim().to_owned());
        }
    }
    found
}

/// Whether the topmost `Authentication-Results` header of the trusted MTA `authserv_id` says
/// `dkim=pass` with `header.d` (or `header.i`) of `domain`, or `spf=pass` with `smtp.mailfrom`
/// at `domain`. Only the topmost counts: the MTA adds its own above whatever the sender wrote.
fn trusted_results_pass(raw: &[u8], authserv_id: &str, domain: &str) -> bool {
    let Some(header) = first_header(raw, "Authentication-Results") else {
        return false;
    };
    let unfolded = header.replace(['\r', '\n'], " ");
    let mut parts = unfolded.split(';');
    let id = parts.next().unwrap_or_default();
    if id
        .split_whitespace()
        .next()
        .map(str::to_lowercase)
        .as_deref()
        != Some(authserv_id)
    {
        return false;
    }
    parts.any(|result| {
        let words: Vec<String> = result.split_whitespace().map(str::to_lowercase).collect();
        let property = |name: &str| {
            words
                .iter()
                .find_map(|word| word.strip_prefix(name))
                .map(|value| value.trim_matches('"').to_owned())
        };
        let method_passes = |method: &str| words.first().map(String::as_str) == Some(method);
        if method_passes("dkim=pass") {
            let signer = property("header.d=").or_else(|| {
                property("header.i=").map(|i| i.rsplit('@').next().unwrap_or_default().to_owned())
            });
            signer.is_some_and(|signer| aligned(&signer, domain))
        } else if method_passes("spf=pass") {
            property("smtp.mailfrom=")
                .map(|from| from.rsplit('@').next().unwrap_or_default().to_owned())
                .is_some_and(|from| from == domain)
        } else {
            false
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_results(value: &str) -> Vec<u8> {
        format!(
            "Authentication-Results: {value}\r\nFrom: a@demo.example\r\nSubject: x\r\n\r\nbody\r\n"
        )
        .into_bytes()
    }

    #[test]
    fn only_the_trusted_mta_saying_pass_for_the_domain_counts() {
        let pass = with_results("mx.demo.example; dkim=pass header.d=demo.example");
        assert!(trusted_results_pass(
            &pass,
            "mx.demo.example",
            "demo.example"
        ));
        assert!(!trusted_results_pass(
            &pass,
            "mx.other.example",
            "demo.example"
        ));
        assert!(!trusted_results_pass(
            &pass,
            "mx.demo.example",
            "evil.example"
        ));
        let spf = with_results("mx.demo.example; spf=pass smtp.mailfrom=vera@demo.example");
        assert!(trusted_results_pass(
            &spf,
            "mx.demo.example",
            "demo.example"
        ));
        let fail = with_results("mx.demo.example; dkim=fail header.d=demo.example; spf=softfail");
        assert!(!trusted_results_pass(
            &fail,
            "mx.demo.example",
            "demo.example"
        ));
    }

    #[test]
    fn a_parent_domain_signs_for_its_subdomains_only() {
        assert!(aligned("demo.example", "mail.demo.example"));
        assert!(aligned("demo.example", "demo.example"));
        assert!(!aligned("demo.example", "evildemo.example"));
    }
}
