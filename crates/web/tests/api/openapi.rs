//! The OpenAPI document describes every route the router serves.

use crate::helpers::*;

#[tokio::test]
async fn openapi_document_is_3_1_and_lists_every_api_route() {
    let app = spawn_app().await;
    let r = app.get("/api/v1/openapi.json", None).await;
    assert!(r.body["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = r.body["paths"].as_object().unwrap();
    let src = include_str!("../../src/routes.rs");
    let mut checked = 0;
    for line in src
        .lines()
        .filter(|l| l.trim_start().starts_with(".route(\"/"))
    {
        let path = line.split('"').nth(1).unwrap();
        if path == "/openapi.json" || path == "/health" {
            continue;
        }
        let full = format!("/api/v1{path}");
        let item = paths
            .get(&full)
            .unwrap_or_else(|| panic!("{full} is missing from the OpenAPI document"));
        for (method, _) in [
            ("get(", "get"),
            ("post(", "post"),
            ("put(", "put"),
            ("delete(", "delete"),
        ]
        .iter()
        .map(|(m, n)| (*n, m))
        {
            if line.contains(&format!("{method}(")) || line.contains(&format!(".{method}(")) {
                assert!(
                    item.get(method).is_some(),
                    "{method} {full} is not documented"
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 25, "found only {checked} routes");
    // Problems are documented as a schema.
    assert!(r.body["components"]["schemas"]["Problem"].is_object());
}
