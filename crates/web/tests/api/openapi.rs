//! The OpenAPI document describes every route the router serves.

use crate::helpers::*;

#[tokio::test]
async fn openapi_document_is_3_1_and_lists_every_api_route() {
    let app = spawn_app().await;
    let r = app.get("/api/v1/openapi.json", None).await;
    assert!(r.body["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = r.body["paths"].as_object().unwrap();
    // Every `.route("/path", get(..).post(..))` of the router, however rustfmt wrapped it.
    let src: String = include_str!("../../src/routes.rs")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut checked = 0;
    for chunk in src.split(".route(").skip(1) {
        let path = chunk.split('"').nth(1).unwrap();
        if path == "/openapi.json" || path == "/health" {
            continue;
        }
        let full = format!("/api/v1{path}");
        let item = paths
            .get(&full)
            .unwrap_or_else(|| panic!("{full} is missing from the OpenAPI document"));
        let call = chunk.split(".route(").next().unwrap();
        for method in ["get", "post", "put", "delete"] {
            if call.contains(&format!(" {method}(")) || call.contains(&format!(".{method}(")) {
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
