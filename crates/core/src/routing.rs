//! Routing: which body is competent for an appeal of a category in a territory.
//!
//! Rules are data (category × territory → organisation). The most specific matching rule wins:
//! a rule naming the category beats one that does not, then the deeper territory beats the
//! shallower, then the lower priority number. A rule with neither is the fallback.

use crate::ids::Kato;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutingRule {
    pub id: String,
    pub category_id: Option<String>,
    pub territory: Option<Kato>,
    pub org_id: String,
    pub priority: i64,
}

pub fn route<'a>(
    rules: &'a [RoutingRule],
    category_id: &str,
    parent_category_id: Option<&str>,
    territory: Option<Kato>,
) -> Option<&'a RoutingRule> {
    rules
        .iter()
        .filter_map(|r| {
            let cat_score = match r.category_id.as_deref() {
                None => 0,
                Some(c) if c == category_id => 2,
                Some(c) if Some(c) == parent_category_id => 1,
                Some(_) => return None,
            };
            let terr_score = match (r.territory, territory) {
                (None, _) => 0,
                (Some(rt), Some(at)) if at.is_within(&rt) => rt.ancestry().len(),
                _ => return None,
            };
            Some(((cat_score, terr_score, -r.priority), r))
        })
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: &str, cat: Option<&str>, terr: Option<&str>, org: &str) -> RoutingRule {
        RoutingRule {
            id: id.into(),
            category_id: cat.map(Into::into),
            territory: terr.map(|t| Kato::parse(t).unwrap()),
            org_id: org.into(),
            priority: 0,
        }
    }

    #[test]
    fn routing_prefers_category_and_deepest_territory_with_a_fallback() {
        let rules = vec![
            rule("fallback", None, None, "gov"),
            rule("roads-any", Some("roads"), None, "min-transport"),
            rule(
                "roads-turk",
                Some("roads"),
                Some("610000000"),
                "turk-akimat",
            ),
            rule(
                "roads-arys",
                Some("roads"),
                Some("611600000"),
                "arys-akimat",
            ),
            rule("turk-any", None, Some("610000000"), "turk-akimat"),
        ];
        let k = |s: &str| Some(Kato::parse(s).unwrap());
        assert_eq!(
            route(&rules, "roads", None, k("611633100")).unwrap().id,
            "roads-arys"
        );
        assert_eq!(
            route(&rules, "roads", None, k("612000000")).unwrap().id,
            "roads-turk"
        );
        assert_eq!(
            route(&rules, "roads", None, k("750000000")).unwrap().id,
            "roads-any"
        );
        assert_eq!(
            route(&rules, "health", None, k("611600000")).unwrap().id,
            "turk-any"
        );
        assert_eq!(
            route(&rules, "health", None, k("750000000")).unwrap().id,
            "fallback"
        );
        assert_eq!(
            route(&rules, "potholes", Some("roads"), None).unwrap().id,
            "roads-any"
        );
        assert!(route(&[], "x", None, None).is_none());
    }
}
