//! Organisations (government bodies) and their place in the hierarchy.

crate::appeal::text_enum!(
    /// The level of a body; petition thresholds and review terms depend on it.
    OrgLevel {
        /// Government, ministries, agencies and other central state bodies.
        Central = "central",
        OblastAkimat = "oblast_akimat",
        OblastMaslikhat = "oblast_maslikhat",
        DistrictAkimat = "district_akimat",
        DistrictMaslikhat = "district_maslikhat",
        /// Territorial divisions, subordinate organisations, rural okrug akimats.
        Other = "other",
    }
);

impl OrgLevel {
    /// Whether a territory has one body of this level, its own (a region's akimat and
    /// maslikhat, a district's), so that the level and a place name the body: what lets the
    /// routing model learn "the district akimat" from the appeals some district akimats answered
    /// and suggest the one of a district none of whose appeals it has seen.
    pub fn is_territorial(self) -> bool {
        matches!(
            self,
            OrgLevel::OblastAkimat
                | OrgLevel::OblastMaslikhat
                | OrgLevel::DistrictAkimat
                | OrgLevel::DistrictMaslikhat
        )
    }
}

/// All organisations below `root` (not including it), given (id, parent) pairs.
pub fn descendants(root: &str, edges: &[(String, Option<String>)]) -> Vec<String> {
    let mut out = Vec::new();
    let mut frontier = vec![root.to_string()];
    while let Some(cur) = frontier.pop() {
        for (id, parent) in edges {
            if parent.as_deref() == Some(cur.as_str()) && !out.contains(id) && id != root {
                out.push(id.clone());
                frontier.push(id.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descendants_walk_the_whole_subtree_and_survive_cycles() {
        let e = |a: &str, b: Option<&str>| (a.to_string(), b.map(String::from));
        let edges = vec![
            e("gov", None),
            e("min", Some("gov")),
            e("dept", Some("min")),
            e("other", None),
            e("loop", Some("loop2")),
            e("loop2", Some("loop")),
        ];
        let mut d = descendants("gov", &edges);
        d.sort();
        assert_eq!(d, ["dept", "min"]);
        assert_eq!(descendants("loop", &edges), ["loop2"]);
    }
}
