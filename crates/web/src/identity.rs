//! Citizens' identity from the national identity provider, and the keyed hash of an IIN.
//!
//! The eGov IdP signs an ID token (a JWT, HS256 with the client secret shared with Tyndau) naming
//! the citizen by IIN. Tyndau accepts it as a bearer token and keeps no session for it: checking a
//! token costs one HMAC, so a surge of first-time signers costs no database writes for sign-in.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tyndau_core::ids::Iin;

type HmacSha256 = Hmac<Sha256>;

/// What the IdP asserts about a citizen.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
pub struct IdClaims {
    pub iss: String,
    /// The IIN.
    pub sub: String,
    pub given_name: String,
    pub family_name: String,
    /// Seconds since the epoch.
    pub exp: i64,
    #[serde(default)]
    pub email: Option<String>,
    /// KATO of the registered residence.
    #[serde(default)]
    pub kato: Option<String>,
}

/// Verifies an HS256 JWT; None for anything that is not a valid, unexpired token of `issuer`.
pub fn verify(token: &str, issuer: &str, secret: &[u8], now_secs: i64) -> Option<(IdClaims, Iin)> {
    let mut parts = token.split('.');
    let (h, p, s) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(h).ok()?).ok()?;
    // Only HS256: a token must never choose its own (weaker) algorithm.
    if header.get("alg")?.as_str()? != "HS256" {
        return None;
    }
    let mut mac = HmacSha256::new_from_slice(secret).ok()?;
    mac.update(h.as_bytes());
    mac.update(b".");
    mac.update(p.as_bytes());
    mac.verify_slice(&URL_SAFE_NO_PAD.decode(s).ok()?).ok()?;
    let claims: IdClaims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).ok()?).ok()?;
    if claims.iss != issuer || claims.exp <= now_secs {
        return None;
    }
    let iin = Iin::parse(&claims.sub).ok()?;
    Some((claims, iin))
}

/// Issues a token as the IdP would (tests, the demo and the benchmark act as the IdP).
pub fn issue(claims: &IdClaims, secret: &[u8]) -> String {
    let h = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let p = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).expect("claims serialise"));
    let mut mac = HmacSha256::new_from_slice(secret).expect("any key length");
    mac.update(h.as_bytes());
    mac.update(b".");
    mac.update(p.as_bytes());
    let s = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{h}.{p}.{s}")
}

/// The keyed hash that stands for a signer: HMAC-SHA256 of the IIN under the signer key, which
/// lives outside the database.
pub fn signer_hash(key: &[u8], iin: &str) -> String {
    let mut mac = HmacSha256::new_from_slice(key).expect("any key length");
    mac.update(iin.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The signer key: configured, or generated once into the data directory.
pub fn load_signer_key(
    configured: Option<&str>,
    data_dir: &std::path::Path,
) -> anyhow::Result<Vec<u8>> {
    if let Some(k) = configured {
        return Ok(k.as_bytes().to_vec());
    }
    let path = data_dir.join("signer.key");
    if let Ok(k) = std::fs::read_to_string(&path) {
        return Ok(hex::decode(k.trim())?);
    }
    std::fs::create_dir_all(data_dir)?;
    let key: [u8; 32] = rand::random();
    std::fs::write(&path, hex::encode(key))?;
    tracing::warn!(path = %path.display(), "generated a new signer key; back it up apart from the database");
    Ok(key.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> IdClaims {
        IdClaims {
            iss: "idp".into(),
            sub: "900515400014".into(),
            given_name: "Aigerim".into(),
            family_name: "Seitkali".into(),
            exp,
            email: None,
            kato: Some("750000000".into()),
        }
    }

    #[test]
    fn a_token_verifies_only_with_its_key_issuer_and_before_expiry() {
        let t = issue(&claims(2_000), b"k1");
        assert!(verify(&t, "idp", b"k1", 1_000).is_some());
        assert!(verify(&t, "idp", b"k2", 1_000).is_none(), "wrong key");
        assert!(verify(&t, "other", b"k1", 1_000).is_none(), "wrong issuer");
        assert!(verify(&t, "idp", b"k1", 2_000).is_none(), "expired");
        let mut tampered = t.clone();
        tampered.insert(t.find('.').unwrap() + 3, 'x');
        assert!(verify(&tampered, "idp", b"k1", 1_000).is_none());
    }

    #[test]
    fn a_token_with_an_invalid_iin_is_refused() {
        let mut c = claims(2_000);
        c.sub = "900515400015".into();
        assert!(verify(&issue(&c, b"k"), "idp", b"k", 1_000).is_none());
    }

    #[test]
    fn signer_hash_depends_on_the_key() {
        assert_ne!(
            signer_hash(b"a", "900515400014"),
            signer_hash(b"b", "900515400014")
        );
        assert_eq!(signer_hash(b"a", "900515400014").len(), 64);
    }
}
