//! Tyndau's web layer: HTTP API, authentication, background workers, demo data.

pub mod api;
pub mod app;
pub mod config;
pub mod demo;
pub mod error;
pub mod extract;
pub mod identity;
pub mod learning;
pub mod openapi;
pub mod pages;
pub mod ratelimit;
pub mod routes;
pub mod state;
pub mod workers;

pub use app::Application;
pub use config::Config;
